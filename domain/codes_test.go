package domain_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

var codeSpelling = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestRuleCodesAreUniqueAndStable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range domain.Rules() {
		if !codeSpelling.MatchString(r.Code()) {
			t.Errorf("rule %q: got code %q, want lower-case words joined by hyphens", r.Error(), r.Code())
		}
		if seen[r.Code()] {
			t.Errorf("code %q names two rules", r.Code())
		}
		seen[r.Code()] = true
	}
	fields := map[string]bool{}
	for _, c := range domain.FieldCodes() {
		if !codeSpelling.MatchString(c) || fields[c] {
			t.Errorf("field code %q: want a unique code of lower-case words joined by hyphens", c)
		}
		fields[c] = true
	}
	// The API's published types are part of its contract; their rules keep these codes.
	for rule, code := range map[*domain.Rule]string{
		domain.ErrAlreadyRegistered: "already-registered", domain.ErrRoomOccupied: "room-occupied",
		domain.ErrCapacityBelowConfirmed: "capacity-below-confirmed", domain.ErrAlreadyCancelled: "already-cancelled",
		domain.ErrNotConfirmed: "not-confirmed", domain.ErrNotThemeCafe: "not-theme-cafe", domain.ErrNoTables: "no-tables",
		domain.ErrAlreadyHosting: "already-hosting", domain.ErrCollectionClosed: "collection-closed", domain.ErrNoPlan: "no-plan",
		domain.ErrPlanOutdated: "plan-outdated", domain.ErrTableFull: "table-full", domain.ErrTableVisited: "table-visited",
		domain.ErrHostSeated: "host-seated", domain.ErrNotFound: "not-found", domain.ErrConflict: "conflict",
		domain.ErrInvalid: "invalid", domain.ErrUnavailable: "unavailable",
	} {
		if rule.Code() != code {
			t.Errorf("rule %q: got code %q, want %q", rule.Error(), rule.Code(), code)
		}
	}
}

func TestCodes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"a rule", domain.ErrAlreadyRegistered, []string{"already-registered", "conflict"}},
		{"wrapped", fmt.Errorf("%w: Keynote in A", domain.ErrRoomOccupied), []string{"room-occupied", "conflict"}},
		{"a violation", &domain.Violation{Rule: domain.ErrRoomOccupied, Detail: `"Keynote" in A`}, []string{"room-occupied", "conflict"}},
		{"a kind of another rule", domain.ErrNotConfirmedForCafe, []string{"not-confirmed-for-cafe", "not-confirmed", "invalid"}},
		{"field errors", domain.FieldErrors{{Field: "title", Code: domain.CodeRequired}}, []string{"invalid"}},
		{"joined", errors.Join(errors.New("x"), domain.ErrUnavailable), []string{"unavailable"}},
		{"no rule", errors.New("disk on fire"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.Codes(tc.err); !slices.Equal(got, tc.want) {
				t.Errorf("Codes(%v): got %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

// TestFieldErrorsHaveCodes runs commands that break field rules and checks that every field
// error names one of the field codes.
func TestFieldErrorsHaveCodes(t *testing.T) {
	_, err1 := domain.Workshop{}.Schedule(domain.ScheduleWorkshop{Title: "\x00", Venue: string([]byte{0xff}),
		Series: strings.Repeat("x", 1000), Capacity: 0, Days: []domain.Day{"x", "2026-11-16", "2026-11-16"}})
	_, err2 := domain.Workshop{}.Schedule(domain.ScheduleWorkshop{ID: "w"})
	for _, err := range []error{err1, err2} {
		var fe domain.FieldErrors
		if !errors.As(err, &fe) || len(fe) == 0 {
			t.Fatalf("got %v, want field errors", err)
		}
		for _, f := range fe {
			if !slices.Contains(domain.FieldCodes(), f.Code) {
				t.Errorf("field %s (%s): got code %q, want one of FieldCodes", f.Field, f.Detail, f.Code)
			}
		}
	}
}

// TestEveryFieldErrorLiteralNamesACode reads the module's sources and fails on a FieldError
// written without a Code: the API would answer it without code, and the pages could only guess.
func TestEveryFieldErrorLiteralNamesACode(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !namesType(lit.Type, "FieldErrors") {
				if ok && namesType(lit.Type, "FieldError") {
					checkFieldError(t, fset, lit)
				}
				return true
			}
			for _, e := range lit.Elts {
				if inner, ok := e.(*ast.CompositeLit); ok {
					checkFieldError(t, fset, inner)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func namesType(expr ast.Expr, name string) bool {
	switch x := expr.(type) {
	case *ast.Ident:
		return x.Name == name
	case *ast.SelectorExpr:
		return x.Sel.Name == name
	case *ast.ArrayType:
		return name == "FieldErrors" && namesType(x.Elt, "FieldError")
	}
	return false
}

func checkFieldError(t *testing.T, fset *token.FileSet, lit *ast.CompositeLit) {
	t.Helper()
	keyed, hasCode := false, false
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			keyed = true
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Code" {
				hasCode = true
			}
		}
	}
	if keyed && !hasCode {
		t.Errorf("%s: a FieldError without Code", fset.Position(lit.Pos()))
	}
}
