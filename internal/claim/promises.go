package claim

import (
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/promise"
)

// keepLedger applies a transition to the claim's promises, in the same
// write as the transition: the answer promise is made at filing, paused by
// a question and resumed by its answer, and settled by the decision; the
// buyer's ship-by promise is made at approval and settled at receipt; the
// return promise is made at receipt and settled by the return shipment. A
// claim that ends first voids what is still open.
func (c *Claim) keepLedger(action Action, now time.Time) {
	switch action {
	case Submit:
		c.makePromise(promise.Answer, now, c.ReviewDueAt)
	case RequestInfo:
		c.promise(promise.Answer, func(p *promise.Promise) { p.Pause(promise.ReasonQuestion, now) })
	case Answer:
		c.promise(promise.Answer, func(p *promise.Promise) {
			if c.ReviewDueAt != nil {
				p.Resume(now, *c.ReviewDueAt)
			}
		})
	case Approve:
		c.promise(promise.Answer, func(p *promise.Promise) { p.Settle(now) })
		c.makePromise(promise.ShipBy, now, c.ShipBy)
	case Reject:
		c.promise(promise.Answer, func(p *promise.Promise) { p.Settle(now) })
	case Receive:
		c.promise(promise.ShipBy, func(p *promise.Promise) { p.Settle(now) })
		c.makePromise(promise.Return, now, c.ReturnDueAt)
	case ShipBack:
		c.promise(promise.Return, func(p *promise.Promise) { p.Settle(now) })
	}
	if to := c.Status; to.Terminal() {
		for i := range c.Promises {
			c.Promises[i].Void(now)
		}
	}
}

// makePromise adds an open promise due at due (nothing when due is unknown).
func (c *Claim) makePromise(kind promise.Kind, now time.Time, due *time.Time) {
	if due != nil {
		c.Promises = append(c.Promises, promise.Make(ulid.Make().String(), kind, now, *due))
	}
}

// promise applies fn to the newest promise of kind, if there is one.
func (c *Claim) promise(kind promise.Kind, fn func(p *promise.Promise)) {
	if i := promise.Find(c.Promises, kind); i >= 0 {
		fn(&c.Promises[i])
	}
}

// Promise returns the newest promise of kind, if there is one.
func (c Claim) Promise(kind promise.Kind) (promise.Promise, bool) {
	if i := promise.Find(c.Promises, kind); i >= 0 {
		return c.Promises[i], true
	}
	return promise.Promise{}, false
}
