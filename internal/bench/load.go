package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DoJSON sends body as JSON to base+path, with token as bearer token unless it is empty, and
// decodes a JSON object answer. The end-to-end tests of cmd/werkstatt use it too.
func DoJSON(c *http.Client, base, method, path, token string, body any) (int, map[string]any, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			return resp.StatusCode, nil, fmt.Errorf("answer is not JSON: %.200s", raw)
		}
	}
	return resp.StatusCode, out, nil
}

// LoadResult is what a Load run measured.
type LoadResult struct {
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
	P999     time.Duration // the 99.9th percentile
}

// PerSecond returns the requests per second.
func (r LoadResult) PerSecond() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// Load sends n requests from clients concurrent clients; request(i) sends the i-th and reports
// whether it got the answer it wanted. A request needs no HTTP: request may ignore c.
func Load(n, clients int, request func(c *http.Client, i int) bool) LoadResult {
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: clients, MaxIdleConnsPerHost: clients}}
	defer c.CloseIdleConnections()
	latencies := make([]time.Duration, n)
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				t := time.Now()
				if !request(c, i) {
					errs.Add(1)
				}
				latencies[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	return LoadResult{Requests: n, Errors: int(errs.Load()), Elapsed: elapsed,
		P50: latencies[n/2], P99: latencies[n*99/100], P999: latencies[n*999/1000]}
}
