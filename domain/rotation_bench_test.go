package domain_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

func BenchmarkPlanRotation200x8x3(b *testing.B)   { benchmarkRotation(b, 200, 8, 3, planRotation) }
func BenchmarkPlanRotation2000x40x4(b *testing.B) { benchmarkRotation(b, 2000, 40, 4, planRotation) }
func BenchmarkGreedyRotation200x8x3(b *testing.B) {
	benchmarkRotation(b, 200, 8, 3, domain.GreedyRotation)
}
func BenchmarkGreedyRotation2000x40x4(b *testing.B) {
	benchmarkRotation(b, 2000, 40, 4, domain.GreedyRotation)
}

// planRotation is PlanRotation for inputs known to be valid.
func planRotation(in domain.RotationInput) domain.RotationPlan {
	p, err := domain.PlanRotation(in)
	if err != nil {
		panic(err)
	}
	return p
}

// benchmarkRotation times planner on a realistic café and reports the plan's quality, so that
// the planner and the greedy baseline can be compared in one run.
func benchmarkRotation(b *testing.B, guests, tables, rounds int, planner func(domain.RotationInput) domain.RotationPlan) {
	in := scenario.Cafe(guests, tables, rounds, 1)
	var p domain.RotationPlan
	for b.Loop() {
		p = planner(in)
	}
	q := p.Quality(in)
	b.ReportMetric(100*q.ChoiceShare[0], "first_choice_%")
	b.ReportMetric(100*(q.ChoiceShare[0]+q.ChoiceShare[1]+q.ChoiceShare[2]), "top3_%")
	b.ReportMetric(float64(q.SameOrgPairs), "same_org_pairs")
	b.ReportMetric(float64(q.MeetRepeats), "meet_repeats")
	b.ReportMetric(100*q.FillMin, "fill_min_%")
	b.ReportMetric(100*q.FillMax, "fill_max_%")
	b.ReportMetric(float64(q.Unseated), "unseated")
}
