package projections

import (
	"reflect"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestPackAnswers(t *testing.T) {
	for _, as := range [][]domain.Answer{
		nil,
		{},
		{{QuestionID: "q1", Scale: 4}},
		{{QuestionID: "q1", Scale: -3}, {QuestionID: "q2", Choices: []string{}}, {QuestionID: "q3", Choices: []string{"a", "", "ß"}},
			{QuestionID: "", Text: "Schön war's\\n"}, {QuestionID: "q5", Scale: 1 << 40, Choices: []string{"x"}, Text: "t"}},
	} {
		p := packAnswers(as)
		if got := unpackAnswers(p); !reflect.DeepEqual(got, as) {
			t.Errorf("unpackAnswers(packAnswers(%#v)) = %#v", as, got)
		}
		a := storedAnswer{answers: p}
		for _, x := range as {
			if s, ok := a.scaleOf(x.QuestionID); !ok || s != as[firstAnswer(as, x.QuestionID)].Scale {
				t.Errorf("scaleOf(%q) = %d, %v", x.QuestionID, s, ok)
			}
		}
		if _, ok := a.scaleOf("missing"); ok {
			t.Errorf("scaleOf a question not answered found one")
		}
		for i := range len(p) { // a damaged string reads as fewer answers, without a panic
			_ = unpackAnswers(p[:i])
			_, _ = storedAnswer{answers: p[:i]}.scaleOf("q5")
		}
	}
}

func firstAnswer(as []domain.Answer, q domain.QuestionID) int {
	for i, a := range as {
		if a.QuestionID == q {
			return i
		}
	}
	return -1
}
