package projections_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

func TestMemory(t *testing.T) {
	projectionstest.Run(t, func(t *testing.T) projections.Store { return projections.NewMemory() })
}
