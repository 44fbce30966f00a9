//go:build !linux

package bench

import "syscall"

// childAttr: elsewhere an interrupted bench kills its children through its context only.
func childAttr() *syscall.SysProcAttr { return nil }
