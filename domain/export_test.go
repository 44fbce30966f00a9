package domain

import (
	"maps"
	"slices"
)

// RegisteredNames returns the names of every registered event, sorted.
func RegisteredNames() []string { return slices.Sorted(maps.Keys(decoders)) }
