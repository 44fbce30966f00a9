package domain

import "slices"

// Codes of the rules a single field may break: FieldError.Code, the code of each entry of an API
// problem's errors, and the key of the pages' message. They are stable; a field error's Detail
// is not.
var (
	// CodeRequired: the field must be set (a text must not be empty, an answer must be given).
	CodeRequired = fieldCode("required")
	// CodeNull: the field was sent as JSON null, which would remove it.
	CodeNull = fieldCode("null")
	// CodeTooLong: a text is longer than its limit.
	CodeTooLong = fieldCode("too-long")
	// CodeNotUTF8: a text is not valid UTF-8.
	CodeNotUTF8 = fieldCode("not-utf8")
	// CodeControlCharacters: a text holds control characters (a multi-line one: other than
	// line breaks and tabs).
	CodeControlCharacters = fieldCode("control-characters")
	// CodeOutOfRange: a number lies outside its bounds.
	CodeOutOfRange = fieldCode("out-of-range")
	// CodeTooFew: a list holds fewer entries than it must (no day, no table, too few options).
	CodeTooFew = fieldCode("too-few")
	// CodeTooMany: a list holds more entries than it may.
	CodeTooMany = fieldCode("too-many")
	// CodeNamedTwice: a list names one thing twice.
	CodeNamedTwice = fieldCode("named-twice")
	// CodeNotInList: a value is not one of those allowed (a kind, a status).
	CodeNotInList = fieldCode("not-in-list")
	// CodeNotAnID: the value is not a word that may serve as an id.
	CodeNotAnID = fieldCode("not-an-id")
	// CodeNotAnEmail: the value is not an email address.
	CodeNotAnEmail = fieldCode("not-an-email")
	// CodeConsentRequired: registering needs consent to the processing of personal data.
	CodeConsentRequired = fieldCode("consent-required")
	// CodeNotADate: the value is not a date as YYYY-MM-DD.
	CodeNotADate = fieldCode("not-a-date")
	// CodeNotADay: the date is not a day of the workshop.
	CodeNotADay = fieldCode("not-a-day")
	// CodeAfterLastDay: the date lies after the workshop's last day.
	CodeAfterLastDay = fieldCode("after-last-day")
	// CodeOtherDay: the session named takes place on another day than the one named.
	CodeOtherDay = fieldCode("other-day")
	// CodeNotATime: the value is not a time of day as HH:MM.
	CodeNotATime = fieldCode("not-a-time")
	// CodeEndsBeforeStarts: an end is not after its start.
	CodeEndsBeforeStarts = fieldCode("ends-before-starts")
	// CodeEitherOr: two fields name the same thing; exactly one of them may be set.
	CodeEitherOr = fieldCode("either-or")
	// CodeUnknownID: the id names nothing that exists where the field points.
	CodeUnknownID = fieldCode("unknown-id")
	// CodeNotATable: the id names no table of the theme café.
	CodeNotATable = fieldCode("not-a-table")
	// CodeNotATopic: the id names no topic of the workshop.
	CodeNotATopic = fieldCode("not-a-topic")
	// CodeNotAQuestion: the id names no question of the questionnaire.
	CodeNotAQuestion = fieldCode("not-a-question")
	// CodeSameTopic: a topic cannot be merged into itself.
	CodeSameTopic = fieldCode("same-topic")
	// CodeNotAllowed: the field may not be set here (options of a question that is no choice).
	CodeNotAllowed = fieldCode("not-allowed")
	// CodeInvalidAnswer: an answer does not fit its question.
	CodeInvalidAnswer = fieldCode("invalid-answer")
	// CodeWrongType: the JSON value has the wrong type for the field.
	CodeWrongType = fieldCode("wrong-type")
	// CodeUnknownField: the request has no such field.
	CodeUnknownField = fieldCode("unknown-field")
	// CodeNotAnImage: the bytes are not a whole PNG or JPEG image.
	CodeNotAnImage = fieldCode("not-an-image")
	// CodeTooShort: a password is shorter than MinPasswordLength.
	CodeTooShort = fieldCode("too-short")
	// CodeOnlySpaces: a password consists of spaces only.
	CodeOnlySpaces = fieldCode("only-spaces")
	// CodeContainsEmail: a password is or contains the account's email address or its local
	// part.
	CodeContainsEmail = fieldCode("contains-email")
	// CodeTooCommon: a password is one of the most common passwords.
	CodeTooCommon = fieldCode("too-common")
	// CodeNotATemplate: a mail's subject or text is no template of its placeholders (a
	// placeholder the mail does not have, a function, a broken {{...}}).
	CodeNotATemplate = fieldCode("not-a-template")
	// CodeNotAURL: the value is not an absolute http(s) URL (a webhook's).
	CodeNotAURL = fieldCode("not-a-url")
	// CodeInternalAddress: a URL names an internal address (loopback, a private or link-local
	// network) that the service may not reach (a webhook's).
	CodeInternalAddress = fieldCode("internal-address")
)

// The rules a field may break that are also rules of their own share the rule's code.
var (
	// CodeTopicMerged: a vote names a topic that was merged into another one.
	CodeTopicMerged = fieldCode(ErrTopicMerged.Code())
	// CodeAlreadyHosting: a plan names one host for two tables.
	CodeAlreadyHosting = fieldCode(ErrAlreadyHosting.Code())
)

var fieldCodes []string

func fieldCode(code string) string {
	fieldCodes = append(fieldCodes, code)
	return code
}

// FieldCodes returns the code of every rule a field may break.
func FieldCodes() []string { return slices.Clone(fieldCodes) }
