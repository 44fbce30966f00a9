package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// TestBench runs `werkstatt bench` at a tiny size with PostgreSQL and checks that it measured
// the whole series on both read models and put every figure beside its baseline or budget,
// the mails through the outbox beside the SMTP server's raw rate.
func TestBench(t *testing.T) {
	var out strings.Builder
	args := []string{"bench", "-n", "200", "-clients", "4", "-series", "2x12x4", "--database-url", testDatabase(t)}
	if err := run(context.Background(), args, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("werkstatt bench: %v\n%s", err, out.String())
	}
	log := scenario.Series(scenario.SeriesSize{Workshops: 2, Participants: 12, Sessions: 4, Feedback: 70})
	figure := `\s+[\d.]+k? events/s\s+[\d.]+k? events/s \(ordered consumer\)\s+\d+\.\d\d`
	wants := []string{
		fmt.Sprintf(`series 2x12x4, 70%% feedback\s+%d events\s+%d commits`, len(log), log[len(log)-1].Seq),
		`series catch-up, memory` + figure,
		`CPU per event \(raw read: \d\.\d of \d+ cores busy\)\s+[\d.]+ µs\s+[\d.]+ µs\s+\d+\.\d\d`,
		`were decoding free \(events decoded beforehand\)\s+[\d.]+k? events/s\s+[\d.]+k? events/s\s+\d+\.\d\d`,
		`its CPU per event\s+[\d.]+ µs\s+[\d.]+ µs\s+\d+\.\d\d`,
		`series catch-up, PostgreSQL` + figure,
		`series report JSON, memory\s+\S+\s+50ms \(issue's budget\)\s+\d+\.\d\d`,
		`series report PDF, memory\s+\S+\s+1s \(issue's budget\)\s+\d+\.\d\d`,
		`series report JSON, PostgreSQL\s+\S+\s+50ms \(issue's budget\)\s+\d+\.\d\d`,
		`series report PDF, PostgreSQL\s+\S+\s+1s \(issue's budget\)\s+\d+\.\d\d`,
		`catch-up, PostgreSQL` + figure,
		`\n\s*catch-up, memory` + figure,
		`no day overbooked`,
		`mails/s through the outbox, 200 mails\s+[\d.]+k? mails/s\s+[\d.]+k? mails/s \(SMTP server, raw send\)\s+\d+\.\d\d`,
		`mail size through the outbox / raw\s+\d+\.\d KB\s+\d+\.\d KB`,
	}
	for _, want := range wants {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("werkstatt bench printed no line matching %q:\n%s", want, out.String())
		}
	}
}

// TestBenchLeavesNothingBehind runs bench against an external server: its scratch streams and
// key-value buckets are gone afterwards, so benchmarking a production cluster leaves no trace.
func TestBenchLeavesNothingBehind(t *testing.T) {
	srv := natstest.Process(t)
	args := []string{"bench", "-n", "50", "-clients", "2", "-series", "1x6x2", "--nats-url", srv.URL}
	if err := run(context.Background(), args, noEnv, io.Discard, io.Discard); err != nil {
		t.Fatalf("werkstatt bench: %v", err)
	}
	js := srv.JetStream(t)
	var left []string
	for name := range js.StreamNames(context.Background()).Name() {
		// bench's streams are BENCH_<n>...; a key-value bucket is the stream KV_<bucket>, an
		// object store OBJ_<bucket>. Other tests may share the server: their streams are theirs.
		if strings.HasPrefix(strings.TrimPrefix(strings.TrimPrefix(name, "KV_"), "OBJ_"), "BENCH_") {
			left = append(left, name)
		}
	}
	if len(left) > 0 {
		t.Errorf("bench left streams behind: %v", left)
	}
}

// TestBenchLarge runs `werkstatt bench --large` at a tiny size, with the service from the
// built binary in child processes: on the embedded server with PostgreSQL every figure is
// printed with numbers beside its baseline or goal, and on an external server nothing of the
// run is left behind.
func TestBenchLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds werkstatt and runs it in child processes")
	}
	bin := filepath.Join(t.TempDir(), "werkstatt")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building werkstatt: %v\n%s", err, out)
	}
	was := benchExecutable
	benchExecutable = func() (string, error) { return bin, nil }
	steady := bench.Steady
	bench.Steady = 0 // a small log leaves no caches to settle
	t.Cleanup(func() { benchExecutable, bench.Steady = was, steady })

	t.Run("embedded, PostgreSQL", func(t *testing.T) {
		var out strings.Builder
		args := []string{"bench", "--large", "--series", "2x20x2", "--database-url", testDatabase(t)}
		if err := run(context.Background(), args, noEnv, &out, io.Discard); err != nil {
			t.Fatalf("werkstatt bench --large: %v\n%s", err, out.String())
		}
		log := scenario.Series(scenario.SeriesSize{Workshops: 2, Participants: 20, Sessions: 2, Feedback: 70})
		took, mem := `\d+(\.\d+)?(ms|s)`, `\d+ MiB \(peak \d+ MiB\)(; \d+ MiB after 0s)?`
		wants := []string{
			fmt.Sprintf(`log: series 2x20x2, 70%% feedback\s+%d events\s+%d commits, published in`, len(log), log[len(log)-1].Seq),
			`first start to ready, memory read models\s+` + took + `\s+` + took + ` \(raw ordered read of the log\)\s+\d+\.\d\d`,
			`first start to ready, memory read models\s+` + took + `\s+5s \(issue's goal\)\s+\d+\.\d\d`,
			`restart to ready, memory read models\s+` + took + `\s+` + took + ` \(raw ordered read of the log\)\s+\d+\.\d\d`,
			`restart to ready, memory read models\s+` + took + `\s+5s \(issue's goal\)\s+\d+\.\d\d`,
			`resident memory, memory read models\s+` + mem + `\s+150 MiB \(issue's goal\)\s+\d+\.\d\d`,
			`resident memory after restart, memory read models\s+` + mem + `\s+150 MiB \(issue's goal\)\s+\d+\.\d\d`,
			`resident memory, empty log\s+` + mem,
			`resident memory per event after 0s, memory read models\s+\d+ B\s+-?\d+ B above the empty log`,
			`first build to ready, PostgreSQL read models\s+[\d.]+k? events/s \(` + took + `\)\s+[\d.]+k? events/s \(raw batched upsert of the same rows, ` + took + `; goal 0.8\)\s+\d+\.\d\d`,
			`restart to ready, PostgreSQL read models\s+` + took + `\s+1s \(issue's goal\)\s+\d+\.\d\d`,
			`resident memory after the first build, PostgreSQL read models\s+` + mem,
			`resident memory after restart, PostgreSQL read models\s+` + mem,
		}
		for _, want := range wants {
			if !regexp.MustCompile(want).MatchString(out.String()) {
				t.Errorf("werkstatt bench --large printed no line matching %q:\n%s", want, out.String())
			}
		}
	})

	t.Run("external NATS leaves nothing behind", func(t *testing.T) {
		srv := natstest.Process(t)
		js := srv.JetStream(t)
		before := map[string]bool{} // other tests' on the shared server
		for name := range js.StreamNames(context.Background()).Name() {
			before[name] = true
		}
		args := []string{"bench", "--large", "--series", "1x6x2", "--nats-url", srv.URL}
		var out strings.Builder
		if err := run(context.Background(), args, noEnv, &out, io.Discard); err != nil {
			t.Fatalf("werkstatt bench --large: %v\n%s", err, out.String())
		}
		if !strings.Contains(out.String(), "resident memory per event") {
			t.Errorf("werkstatt bench --large measured no memory:\n%s", out.String())
		}
		var left []string
		for name := range js.StreamNames(context.Background()).Name() {
			if !before[name] {
				left = append(left, name)
			}
		}
		if len(left) > 0 {
			t.Errorf("bench --large left streams behind: %v", left)
		}
	})
}
