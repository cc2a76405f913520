// Package dispute is Basic protection as pure domain: the dispute lifecycle
// between a buyer and a seller (and a rep when they escalate), its reasons
// and remedies, the window in which a dispute may be opened, and exact
// amounts. It knows nothing of HTTP, storage or queues.
package dispute
