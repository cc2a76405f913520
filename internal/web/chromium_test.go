package web_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// awaitExit kills whatever is left of a Chromium that used the profile
// directory (its helpers outlive the main process, which is all the
// allocator waits for) and returns once none of them runs, so that removing
// the directory cannot race with a process still writing into it.
func awaitExit(t *testing.T, profile string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		left := profileProcesses(profile)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("chromium processes %v still run after 30s", left)
			return
		}
		for _, pid := range left {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		// A killed process leaves the list when the kernel has torn it
		// down; there is no event to wait on for a process that is not our
		// child, so look again shortly.
		time.Sleep(20 * time.Millisecond)
	}
}

// profileProcesses lists the live processes (zombies excluded) whose command
// line names the profile directory.
func profileProcesses(profile string) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		dir := filepath.Join("/proc", e.Name())
		cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(profile)) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(dir, "stat"))
		if i := bytes.LastIndexByte(stat, ')'); err == nil && i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
			continue
		}
		out = append(out, pid)
	}
	return out
}
