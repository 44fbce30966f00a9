package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bounds of what a command may carry. Every text must be valid UTF-8 without control
// characters; every number must fit what each read model stores (PostgreSQL integer columns
// hold at most 2^31-1; the bounds below stay far beneath that). The other numeric bounds live
// with their rules: MaxRounds, MaxTables, maxTableCapacity, MaxRanking, MaxVoteLimit, ScaleMin
// to ScaleMax, MaxQuestions, MaxOptions; waitlist positions and questionnaire versions are
// computed, never sent.
const (
	// MaxCapacity is the most seats a workshop may offer per day.
	MaxCapacity = 100000
	// maxTableCapacity is the most visitors a theme-café table may seat in one round.
	maxTableCapacity = 1000
	// maxID is the longest id (of a question, an option, a table...) a caller may name.
	maxID = 100
)

// Field details of text that cannot be stored, for the API's readers; the pages choose their
// message by the code (CodeNotUTF8, CodeControlCharacters).
const (
	detailNotUTF8      = "must be valid UTF-8 text"
	detailControl      = "must not contain control characters"
	detailControlLines = "must not contain control characters other than line breaks and tabs"
)

// checkText checks a single-line text: after trimming, it must be set when required, be at most
// max characters (runes, not bytes) long and hold no control character at all.
func checkText(fe *FieldErrors, field, s string, required bool, max int) {
	checkString(fe, field, s, required, max, false)
}

// checkProse checks a multi-line free text (a description, notes, an answer): as checkText, but
// line breaks (LF, CR LF) and tabs are allowed.
func checkProse(fe *FieldErrors, field, s string, required bool, max int) {
	checkString(fe, field, s, required, max, true)
}

func checkString(fe *FieldErrors, field, s string, required bool, max int, multiline bool) {
	s = strings.TrimSpace(s)
	if code, detail := textProblem(s, multiline); code != "" {
		fe.add(field, code, detail)
		return
	}
	switch {
	case required && s == "":
		fe.add(field, CodeRequired, "must not be empty")
	case utf8.RuneCountInString(s) > max:
		fe.add(field, CodeTooLong, fmt.Sprintf("must be at most %d characters", max))
	}
}

// checkID checks an id a caller names: when set, a single-line text of at most maxID characters.
// Whether it must be set, and whether it exists, is the command's rule.
func checkID(fe *FieldErrors, field, id string) {
	if code, detail := textProblem(id, false); code != "" {
		fe.add(field, code, detail)
	} else if utf8.RuneCountInString(id) > maxID {
		fe.add(field, CodeTooLong, fmt.Sprintf("must be at most %d characters", maxID))
	}
}

// checkRange checks that n lies within lo and hi, both included.
func checkRange(fe *FieldErrors, field string, n, lo, hi int) {
	if n < lo || n > hi {
		fe.add(field, CodeOutOfRange, fmt.Sprintf("must be between %d and %d", lo, hi))
	}
}

// textProblem says why s cannot be stored as text, its code and detail, "" when it can: it is not
// valid UTF-8, or it holds a control character (C0, DEL or C1; a multi-line text may hold tab,
// LF and CR).
func textProblem(s string, multiline bool) (code, detail string) {
	if !utf8.ValidString(s) {
		return CodeNotUTF8, detailNotUTF8
	}
	for _, r := range s {
		if control(r, multiline) {
			if multiline {
				return CodeControlCharacters, detailControlLines
			}
			return CodeControlCharacters, detailControl
		}
	}
	return "", ""
}

// ValidText reports whether s is valid UTF-8 without control characters; multiline allows tab,
// LF and CR. Adapters use it for values that reach no command (a search term, a header).
func ValidText(s string, multiline bool) bool {
	code, _ := textProblem(s, multiline)
	return code == ""
}

func control(r rune, multiline bool) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return !multiline
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}
