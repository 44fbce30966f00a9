//go:build !unix

package main

// lockDataDir does not lock where flock is unavailable; run one process per data folder.
func lockDataDir(string) (func(), error) { return func() {}, nil }
