package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLayers keeps the shape of the code: the domain imports only the standard library; the
// API (handlers), the pages (web) and the application (app) reach adapters only through
// interfaces, so they link no infra package; and outside infra/ only cmd/ (and the benchmark
// harness internal/bench) wires adapters (test support such as handlers/handlerstest may, to
// run on real services). It asks the go tool,
// which sees exactly what the build links (test files are not part of -deps).
func TestLayers(t *testing.T) {
	root := moduleRoot(t)
	const module = "github.com/werkstatt/werkstatt"

	t.Run("handlers, web and app link no infra package", func(t *testing.T) {
		for _, dep := range goList(t, root, "-deps", "-f", "{{.ImportPath}}", "./handlers", "./web", "./app") {
			if strings.HasPrefix(dep, module+"/infra") {
				t.Errorf("go list -deps ./handlers ./web ./app: got %s, want no infra package", dep)
			}
		}
	})

	t.Run("only cmd wires adapters", func(t *testing.T) {
		for _, line := range goList(t, root, "-f", "{{.ImportPath}} {{join .Deps \" \"}}", "./...") {
			pkg, deps, _ := strings.Cut(line, " ")
			rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
			// internal/bench measures the adapters against their raw building blocks, so it
			// holds them as cmd does.
			if strings.HasPrefix(rel, "cmd/") || strings.HasPrefix(rel, "infra/") || rel == "internal/bench" ||
				strings.HasSuffix(rel, "test") {
				continue
			}
			for _, dep := range strings.Fields(deps) {
				if strings.HasPrefix(dep, module+"/infra") {
					t.Errorf("%s links %s: want adapters wired in cmd/ only", pkg, dep)
				}
			}
		}
	})

	t.Run("the domain imports only the standard library", func(t *testing.T) {
		for _, dep := range goList(t, root, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./domain") {
			if dep != module+"/domain" {
				t.Errorf("go list -deps ./domain: got %s, want the standard library only", dep)
			}
		}
	})
}

// goList runs go list in dir and returns its non-empty output lines.
func goList(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// moduleRoot is the folder of go.mod above this package. Without the go tool the test skips on
// a laptop and fails under CI=true.
func moduleRoot(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the go tool is needed to check the layers: %v", err)
		}
		t.Skipf("no go tool to check the layers: %v", err)
	}
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("module root %s: %v", dir, err)
	}
	return dir
}
