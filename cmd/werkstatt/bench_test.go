package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
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
		`series catch-up, PostgreSQL` + figure,
		`series report JSON, memory\s+\S+\s+50ms \(issue's budget\)\s+\d+\.\d\d`,
		`series report PDF, memory\s+\S+\s+1s \(issue's budget\)\s+\d+\.\d\d`,
		`series report JSON, PostgreSQL\s+\S+\s+50ms \(issue's budget\)\s+\d+\.\d\d`,
		`series report PDF, PostgreSQL\s+\S+\s+1s \(issue's budget\)\s+\d+\.\d\d`,
		`catch-up, PostgreSQL` + figure,
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
		// bench's streams are BENCH_<n>...; a key-value bucket is the stream KV_<bucket>. Other
		// tests may share the server: their streams are theirs.
		if strings.HasPrefix(strings.TrimPrefix(name, "KV_"), "BENCH_") {
			left = append(left, name)
		}
	}
	if len(left) > 0 {
		t.Errorf("bench left streams behind: %v", left)
	}
}
