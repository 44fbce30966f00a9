package postgres

import (
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/werkstatt/werkstatt/domain"
)

// The log holds whatever an event carried when it was written: before the domain refused them,
// a NUL or a broken UTF-8 sequence could reach it, and a hand-made event still can. PostgreSQL
// stores neither in text, jsonb or text[], and an event it refuses would stop its projection
// for good. So the adapter stores every string as text can hold it: a NUL and every invalid
// byte sequence become U+FFFD, the replacement character. Integers need nothing: the columns
// are bigint (migration 005), as wide as a Go int.

// storable returns r with every string of it, of its event and of whatever that holds made
// storable. It returns r itself, uncopied, when every string already is; otherwise it builds
// a copy and leaves r as it was (the caller may share the event with others).
func storable(r domain.Recorded) domain.Recorded {
	v := reflect.ValueOf(r)
	if !needsRepair(v) {
		return r
	}
	return repaired(v).Interface().(domain.Recorded)
}

// storableText is s with each NUL and each invalid UTF-8 sequence replaced by U+FFFD.
func storableText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func textStorable(s string) bool { return utf8.ValidString(s) && !strings.Contains(s, "\x00") }

func needsRepair(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return !textStorable(v.String())
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && needsRepair(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && needsRepair(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if needsRepair(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if needsRepair(it.Key()) || needsRepair(it.Value()) {
				return true
			}
		}
	}
	return false
}

// repaired returns a copy of v whose strings are storable; values without strings are shared.
func repaired(v reflect.Value) reflect.Value {
	if !needsRepair(v) {
		return v
	}
	t := v.Type()
	switch v.Kind() {
	case reflect.String:
		return reflect.ValueOf(storableText(v.String())).Convert(t)
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		p.Elem().Set(repaired(v.Elem()))
		return p
	case reflect.Interface:
		out := reflect.New(t).Elem()
		out.Set(repaired(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v) // unexported fields (a time.Time's) as they are
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				out.Field(i).Set(repaired(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(repaired(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(repaired(v.Index(i)))
		}
		return out
	case reflect.Map:
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(repaired(it.Key()), repaired(it.Value()))
		}
		return out
	}
	return v
}

// readable makes a reader's argument what a stored value would be made (storableText): a path
// or query parameter with a NUL or broken UTF-8 then finds what an event with that value left,
// or nothing, instead of a query PostgreSQL refuses.
func readable[T ~string](s T) T { return T(storableText(string(s))) }
