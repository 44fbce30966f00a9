package domain

// ErrUnavailable is the class of failures where a dependency could not be reached: the event log
// (NATS JetStream, including its key-value buckets) or the read models (PostgreSQL). Adapters
// wrap the connection and timeout errors of their clients in it, so that the HTTP layers answer
// 503 with Retry-After (try again later) instead of a 4xx or 500. It is not a rule violation:
// nothing was decided.
var ErrUnavailable = newRule("unavailable", "a service Werkstatt depends on cannot be reached", nil)
