package bench

import "syscall"

// childAttr has the kernel kill a service child when the bench process dies, however it
// dies: an interrupted bench leaves no service running on its scratch folder.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
