// Package scenario builds realistic data with the real domain rules, for tests, benchmarks and
// `werkstatt bench`: logs of workshops (Workshops), of a series with feedback (Series), and
// theme cafés to plan (Cafe). It is pure like domain: no clock, no I/O, the same data for the
// same arguments. Nothing in the service imports it.
package scenario
