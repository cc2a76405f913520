// Package testenv lets tests that need something outside Go (a MariaDB, a
// Redis, a command-line tool) say so: without it they are skipped with the
// reason, visibly, except in CI (CI=true), where every test must run and a
// missing dependency fails the test instead.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run in CI, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// Skip skips the test with the reason, or fails it in CI.
func Skip(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (CI=true: a test that cannot run fails)", reason)
	}
	t.Skip(reason)
}

// Env returns the variable's value, skipping the test (failing it in CI)
// when it is empty; what says what the variable points at.
func Env(t testing.TB, name, what string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Skip(t, "%s is not set: no %s to test against", name, what)
	}
	return v
}

// Tool returns the path of a command, skipping the test (failing it in CI)
// when it is not installed; pkg names the Debian package that has it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Skip(t, "%s is not installed (Debian package %s)", name, pkg)
	}
	return path
}
