package claim_test

import (
	"sync"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
)

func TestSubmitFilesTheClaimWithItsEventAndJobs(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		v, err := e.svc.Submit(e.ctx, e.buyer, claim.Request{OrderNumber: " ORD-DE ", Coverage: coverage.ExtendedWarranty,
			IMEI: "49-015420-323751-8", Description: "  The phone restarts on its own every few minutes. "})
		if err != nil {
			t.Fatal(err)
		}
		c := v.Claim
		if _, ok := claim.NormalizeRMANumber(c.RMANumber); !ok || c.Status != claim.Submitted || c.CenterCode != "BER" ||
			c.IMEI != deviceIMEI || c.Description != "The phone restarts on its own every few minutes." ||
			c.BuyerID != e.buyer.UserID || c.Version != 1 || !c.CreatedAt.Equal(start) {
			t.Fatalf("filed %+v", c)
		}
		// Friday 09:00 UTC plus five Berlin working days is the end of the
		// next Friday, Berlin time.
		berlin, _ := time.LoadLocation("Europe/Berlin")
		if want := time.Date(2026, 12, 4, 23, 59, 59, 0, berlin); c.ReviewDueAt == nil || !c.ReviewDueAt.Equal(want) {
			t.Errorf("review due %v, want %v", c.ReviewDueAt, want)
		}
		got := e.reload(t, c.RMANumber)
		if got.Claim.ID != c.ID || len(got.Events) != 1 || got.Events[0].Action != "submit" ||
			got.Events[0].To != claim.Submitted || got.Center.Code != "BER" {
			t.Errorf("stored %+v", got)
		}
		if kinds := e.jobKinds(t, c.ID); kinds[claim.JobNotify] != 1 || kinds[claim.JobReviewReminder] != 1 ||
			kinds[claim.JobReviewEscalate] != 1 || len(kinds) != 3 {
			t.Errorf("jobs %v", kinds)
		}
	})
}

func TestSubmitRefusesWhatIsNotEligible(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, err := e.svc.Submit(e.ctx, e.rep, warranty())
		refused(t, err, fault.Forbidden, "action_forbidden", "")

		// Someone else's order looks exactly like a missing one.
		_, err = e.svc.Submit(e.ctx, e.stranger, warranty())
		refused(t, err, fault.Invalid, "order_not_found", "order_number")
		r := warranty()
		r.OrderNumber = "ORD-NONE"
		_, err = e.svc.Submit(e.ctx, e.buyer, r)
		refused(t, err, fault.Invalid, "order_not_found", "order_number")

		r = warranty()
		r.IMEI = otherIMEI
		_, err = e.svc.Submit(e.ctx, e.buyer, r)
		refused(t, err, fault.Invalid, "imei_not_on_order", "imei")

		r = warranty()
		r.Description = "broken"
		_, err = e.svc.Submit(e.ctx, e.buyer, r)
		refused(t, err, fault.Invalid, "description_too_short", "description")

		c := e.submit(t)
		_, err = e.svc.Submit(e.ctx, e.buyer, warranty())
		refused(t, err, fault.Conflict, "device_has_open_claim", "imei")

		// A cancelled claim frees the device.
		if _, err := e.svc.Cancel(e.ctx, e.buyer, c.RMANumber, "changed my mind"); err != nil {
			t.Fatal(err)
		}
		e.submit(t)
		if n := e.rows(t, "claims", c.ID); n != 1 {
			t.Errorf("%d rows", n)
		}
	})
}

// TestCoverageTermBoundariesToTheMicrosecond: a term runs from the order's
// completion (included) to the same instant N years later (excluded).
func TestCoverageTermBoundariesToTheMicrosecond(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		end := completed.AddDate(2, 0, 0)
		us := time.Microsecond
		for _, tc := range []struct {
			at     time.Time
			reason string
		}{
			{completed.Add(-us), "coverage_expired"}, // an order completed in the future
			{completed, ""},
			{end.Add(-us), ""},
			{end, "coverage_expired"},
			{end.Add(us), "coverage_expired"},
		} {
			e.clock.Set(tc.at)
			el, err := e.svc.CheckOrder(e.ctx, e.buyer, "ORD-DE")
			if err != nil {
				t.Fatal(err)
			}
			w := el.Coverages[0]
			if w.Coverage != coverage.ExtendedWarranty || w.Reason != tc.reason || w.Eligible != (tc.reason == "") {
				t.Errorf("at %s: %+v, want reason %q", tc.at.Format(time.RFC3339Nano), w, tc.reason)
			}
			if w.EndsAt == nil || !w.EndsAt.Equal(end) {
				t.Errorf("at %s: ends %v, want %v", tc.at.Format(time.RFC3339Nano), w.EndsAt, end)
			}
			_, err = e.svc.Submit(e.ctx, e.buyer, warranty())
			if tc.reason == "" {
				if err != nil {
					t.Errorf("at %s: %v", tc.at.Format(time.RFC3339Nano), err)
				}
				// Free the device for the next instant.
				cs, _ := e.svc.List(e.ctx, e.buyer, claim.Filter{Status: []claim.Status{claim.Submitted}})
				for _, c := range cs {
					if _, err := e.svc.Cancel(e.ctx, e.buyer, c.RMANumber, ""); err != nil {
						t.Fatal(err)
					}
				}
				continue
			}
			refused(t, err, fault.Invalid, tc.reason, "coverage")
		}
	})
}

func TestExcludedCountryIsNotSoldTheWarranty(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		el, err := e.svc.CheckOrder(e.ctx, e.maltese, "ORD-MT")
		if err != nil {
			t.Fatal(err)
		}
		got := map[coverage.Kind]string{}
		for _, x := range el.Coverages {
			got[x.Coverage] = x.Reason
		}
		if got[coverage.ExtendedWarranty] != "coverage_not_sold_in_country" || got[coverage.AccidentalDamage] != "" {
			t.Errorf("Malta: %v", got)
		}
		_, err = e.svc.Submit(e.ctx, e.maltese, claim.Request{OrderNumber: "ORD-MT", Coverage: coverage.ExtendedWarranty,
			IMEI: maltaIMEI, Description: "The phone restarts on its own."})
		refused(t, err, fault.Invalid, "coverage_not_sold_in_country", "coverage")
		// The same order under the cover Malta is sold is accepted.
		day := start.AddDate(0, 0, -1)
		if _, err := e.svc.Submit(e.ctx, e.maltese, claim.Request{OrderNumber: "ORD-MT", Coverage: coverage.AccidentalDamage,
			IMEI: maltaIMEI, Description: "Dropped it, the screen cracked.", IncidentDate: &day}); err != nil {
			t.Errorf("accidental damage in Malta: %v", err)
		}
	})
}

func TestAccidentalDamageLimitCountsLiveClaims(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		day := start.AddDate(0, 0, -3)
		r := claim.Request{OrderNumber: "ORD-DE", Coverage: coverage.AccidentalDamage, IMEI: deviceIMEI,
			Description: "Dropped it, the screen cracked.", IncidentDate: &day}
		for i := 0; i < 2; i++ {
			v, err := e.svc.Submit(e.ctx, e.buyer, r)
			if err != nil {
				t.Fatalf("claim %d: %v", i+1, err)
			}
			// Rejected claims would not count: these are approved and delivered.
			e.walk(t, v.Claim.RMANumber)
		}
		_, err := e.svc.Submit(e.ctx, e.buyer, r)
		refused(t, err, fault.Invalid, "claim_limit_reached", "coverage")
	})
}

// walk takes a submitted claim to delivered.
func (e *env) walk(t *testing.T, rma string) {
	t.Helper()
	steps := []func() (claim.View, error){
		func() (claim.View, error) { return e.svc.Approve(e.ctx, e.rep, rma, "") },
		func() (claim.View, error) {
			v, _, err := e.svc.Receive(e.ctx, e.techBER, rma, deviceIMEI)
			return v, err
		},
		func() (claim.View, error) {
			return e.svc.Decide(e.ctx, e.techBER, rma, claim.Diagnosis{Findings: "Cracked", Decision: "repair"})
		},
		func() (claim.View, error) { return e.svc.MarkReady(e.ctx, e.techBER, rma, "") },
		func() (claim.View, error) { return e.svc.ShipBack(e.ctx, e.techBER, rma, "UPS", "1Z") },
		func() (claim.View, error) { return e.svc.Deliver(e.ctx, e.buyer, rma) },
	}
	for i, s := range steps {
		if _, err := s(); err != nil {
			t.Fatalf("step %d of %s: %v", i+1, rma, err)
		}
	}
}

func TestReplacementMustBeAnotherDevice(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Diagnosing)
		before := e.reload(t, c.RMANumber)
		jobs := e.rows(t, "jobs", c.ID)
		_, err := e.svc.Decide(e.ctx, e.techBER, c.RMANumber, claim.Diagnosis{Findings: "Board dead",
			Decision: "replace", ReplacementIMEI: deviceIMEI})
		refused(t, err, fault.Invalid, "replacement_imei_same", "replacement_imei")
		after := e.reload(t, c.RMANumber)
		if after.Claim.Status != claim.Diagnosing || after.Claim.Version != before.Claim.Version ||
			len(after.Events) != len(before.Events) || e.rows(t, "jobs", c.ID) != jobs {
			t.Fatalf("a refused decision wrote: %s v%d, %d events", after.Claim.Status, after.Claim.Version, len(after.Events))
		}
		_, err = e.svc.Decide(e.ctx, e.techBER, c.RMANumber, claim.Diagnosis{Findings: "Board dead",
			Decision: "replace", ReplacementIMEI: "not-an-imei"})
		refused(t, err, fault.Invalid, "imei_invalid", "replacement_imei")

		v, err := e.svc.Decide(e.ctx, e.techBER, c.RMANumber, claim.Diagnosis{Findings: "Board dead",
			Decision: "replace", ReplacementIMEI: otherIMEI})
		if err != nil || v.Claim.Status != claim.Replacing || v.Claim.ReplacementIMEI != otherIMEI ||
			v.Claim.Findings != "Board dead" || v.Claim.Decision != "replace" {
			t.Fatalf("replace: %v %+v", err, v.Claim)
		}
	})
}

func TestReturnUnrepairedNeedsAValidReason(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Diagnosing)
		for _, code := range []string{"", "  ", "because", "user_damage"} { // user_damage is a rejection code
			_, err := e.svc.Decide(e.ctx, e.techBER, c.RMANumber, claim.Diagnosis{Findings: "Water inside",
				Decision: "return_unrepaired", ReasonCode: code})
			refused(t, err, fault.Invalid, "reason_code_invalid", "reason_code")
		}
		if got := e.reload(t, c.RMANumber).Claim.Status; got != claim.Diagnosing {
			t.Fatalf("refused decision moved the claim to %s", got)
		}
		v, err := e.svc.Decide(e.ctx, e.techBER, c.RMANumber, claim.Diagnosis{Findings: "Water inside",
			Decision: "return_unrepaired", ReasonCode: " not_covered "})
		if err != nil || v.Claim.Status != claim.ReturningUnrepaired || v.Claim.UnrepairedCode != "not_covered" {
			t.Fatalf("return unrepaired: %v %+v", err, v.Claim)
		}
		_, err = e.svc.Decide(e.ctx, e.techBER, c.RMANumber, claim.Diagnosis{Findings: "x", Decision: "shrug"})
		refused(t, err, fault.Invalid, "decision_invalid", "decision")
	})
}

func TestOnlyTheOwnerAndTheirCenterSeeAClaim(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		for name, a := range map[string]account.Actor{"another buyer": e.stranger, "another center": e.techMAD} {
			if _, err := e.svc.Get(e.ctx, a, c.RMANumber); !isNotFound(err) {
				t.Errorf("%s reads the claim: %v", name, err)
			}
		}
		if _, err := e.svc.Cancel(e.ctx, e.stranger, c.RMANumber, ""); !isNotFound(err) {
			t.Errorf("another buyer cancels: %v", err)
		}
		for name, a := range map[string]account.Actor{"owner": e.buyer, "rep": e.rep, "its center": e.techBER} {
			if v, err := e.svc.Get(e.ctx, a, c.RMANumber); err != nil || v.Claim.ID != c.ID {
				t.Errorf("%s: %v", name, err)
			}
		}
		// A buyer may never approve, whoever's claim it is.
		_, err := e.svc.Approve(e.ctx, e.buyer, c.RMANumber, "")
		refused(t, err, fault.Forbidden, "action_forbidden", "")
		_, err = e.svc.Approve(e.ctx, e.buyer, "RMA-0000-0000", "")
		refused(t, err, fault.Forbidden, "action_forbidden", "")

		// Tracking needs the buyer's e-mail, in any case.
		if v, err := e.svc.Track(e.ctx, c.RMANumber, " BUYER@example.com"); err != nil || v.Claim.ID != c.ID {
			t.Errorf("track: %v", err)
		}
		if _, err := e.svc.Track(e.ctx, c.RMANumber, "stranger@example.com"); !isNotFound(err) {
			t.Errorf("track with another e-mail: %v", err)
		}
		if _, err := e.svc.Get(e.ctx, e.rep, "RMA-nonsense"); !isNotFound(err) {
			t.Errorf("malformed number: %v", err)
		}
	})
}

func TestActionInTheWrongStateIsAConflictAndWritesNothing(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		_, err := e.svc.MarkReady(e.ctx, e.techBER, c.RMANumber, "")
		refused(t, err, fault.Conflict, "claim_wrong_state", "")
		if fe, _ := fault.As(err); fe == nil || fe.Args["Status"] != "submitted" {
			t.Errorf("conflict does not say the status: %v", err)
		}
		if v := e.reload(t, c.RMANumber); v.Claim.Version != 1 || len(v.Events) != 1 {
			t.Errorf("wrote: v%d, %d events", v.Claim.Version, len(v.Events))
		}
	})
}

func TestQuestionPausesTheReviewClock(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t) // Friday; due the end of next Friday (5 working days)
		// Asked on Monday morning: Monday to Friday (5 days) were left.
		e.clock.Set(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
		v, err := e.svc.RequestInfo(e.ctx, e.rep, c.RMANumber, " Is the screen still on? ")
		if err != nil || v.Claim.Status != claim.InfoRequested || v.Claim.Question != "Is the screen still on?" ||
			v.Claim.ReviewPausedAt == nil {
			t.Fatalf("request info: %v %+v", err, v.Claim)
		}
		_, err = e.svc.RequestInfo(e.ctx, e.rep, c.RMANumber, " ")
		refused(t, err, fault.Invalid, "field_required", "question")
		// Answered a week later, on Monday 7 December: the clock resumes.
		e.clock.Set(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
		v, err = e.svc.Answer(e.ctx, e.buyer, c.RMANumber, "Only half of it.")
		if err != nil || v.Claim.Status != claim.UnderReview || v.Claim.ReviewPausedAt != nil {
			t.Fatalf("answer: %v %+v", err, v.Claim)
		}
		if !v.Claim.ReviewDueAt.After(*c.ReviewDueAt) {
			t.Errorf("review due %v did not move from %v", v.Claim.ReviewDueAt, c.ReviewDueAt)
		}
		if kinds := e.jobKinds(t, c.ID); kinds[claim.JobReviewEscalate] != 2 {
			t.Errorf("answer did not schedule a new escalation: %v", kinds)
		}
	})
}

func TestApprovalStartsTheShipByClockAndExpiryWaitsForIt(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Approved)
		if want := start.AddDate(0, 0, 30); c.ShipBy == nil || !c.ShipBy.Equal(want) {
			t.Fatalf("ship by %v, want %v", c.ShipBy, want)
		}
		kinds := e.jobKinds(t, c.ID)
		if kinds[claim.JobShipByReminder] != 1 || kinds[claim.JobShipByExpire] != 1 || kinds[claim.JobNotify] != 3 { // filed, picked, approved: each told
			t.Errorf("jobs %v", kinds)
		}
		e.clock.Set(c.ShipBy.Add(-time.Microsecond))
		_, err := e.svc.Expire(e.ctx, c.RMANumber)
		refused(t, err, fault.Conflict, "claim_wrong_state", "")
		e.clock.Set(*c.ShipBy)
		v, err := e.svc.Expire(e.ctx, c.RMANumber)
		if err != nil || v.Claim.Status != claim.Expired {
			t.Fatalf("expire at ship-by: %v %s", err, v.Claim.Status)
		}
		// An expired claim frees the device.
		e.submit(t)
	})
}

func TestReceiveTwiceWritesOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Approved)
		_, _, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, otherIMEI)
		refused(t, err, fault.Conflict, "imei_mismatch", "imei")
		if _, _, err := e.svc.Receive(e.ctx, e.techMAD, c.RMANumber, ""); !isNotFound(err) {
			t.Errorf("another center receives: %v", err)
		}
		v, fresh, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, deviceIMEI)
		if err != nil || !fresh || v.Claim.Status != claim.Received || v.Claim.ReturnDueAt == nil ||
			!v.Claim.ReturnDueAt.Equal(start.AddDate(0, 0, 15)) {
			t.Fatalf("receive: %v %v %+v", err, fresh, v.Claim)
		}
		again, fresh, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, "")
		if err != nil || fresh || again.Claim.Version != v.Claim.Version || len(again.Events) != len(v.Events) {
			t.Fatalf("second receive: %v fresh=%v v%d", err, fresh, again.Claim.Version)
		}
		kinds := e.jobKinds(t, c.ID)
		if kinds[claim.JobTurnaroundWarn] != 1 || kinds[claim.JobTurnaroundEscalate] != 1 {
			t.Errorf("jobs %v", kinds)
		}
	})
}

func TestTheWholeWayToClosed(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Shipped)
		if _, err := e.svc.Close(e.ctx, c.RMANumber); !fault.Is(err, fault.Conflict) {
			t.Errorf("closing a shipped claim: %v", err)
		}
		v, err := e.svc.DeliverBySystem(e.ctx, c.RMANumber)
		if err != nil || v.Claim.Status != claim.Delivered || v.Claim.DeliveredAt == nil {
			t.Fatalf("deliver: %v %+v", err, v.Claim)
		}
		// Delivered: the device is free for a new claim before this one closes.
		e.submit(t)
		v, err = e.svc.Close(e.ctx, c.RMANumber)
		if err != nil || v.Claim.Status != claim.Closed {
			t.Fatalf("close: %v", err)
		}
		var actions []claim.Action
		for _, ev := range v.Events {
			actions = append(actions, ev.Action)
		}
		want := []claim.Action{"submit", claim.Pick, claim.Approve, claim.MarkSent, claim.Receive, claim.StartDiagnosis,
			claim.DecideRepair, claim.Ready, claim.ShipBack, claim.Deliver, claim.Close}
		if len(actions) != len(want) {
			t.Fatalf("timeline %v", actions)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Fatalf("timeline %v, want %v", actions, want)
			}
		}
	})
}

// TestConcurrentApprovalsMoveTheClaimOnce: two reps approve at once; the
// version guard lets one through and the other gets the new state's answer.
func TestConcurrentApprovalsMoveTheClaimOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Approve(e.ctx, e.rep, c.RMANumber, "")
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !fault.Is(err, fault.Conflict):
				t.Errorf("loser: %v", err)
			}
		}
		v := e.reload(t, c.RMANumber)
		if ok != 1 || v.Claim.Status != claim.Approved || len(v.Events) != 2 || e.jobKinds(t, c.ID)[claim.JobShipByExpire] != 1 {
			t.Errorf("%d approvals succeeded; %s with %d events", ok, v.Claim.Status, len(v.Events))
		}
	})
}

func TestListKeepsEachRoleToItsOwn(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		de := e.submit(t)
		day := start.AddDate(0, 0, -1)
		mt, err := e.svc.Submit(e.ctx, e.maltese, claim.Request{OrderNumber: "ORD-MT", Coverage: coverage.AccidentalDamage,
			IMEI: maltaIMEI, Description: "Dropped it, the screen cracked.", IncidentDate: &day})
		if err != nil {
			t.Fatal(err)
		}
		list := func(a account.Actor, f claim.Filter) []string {
			t.Helper()
			f.Limit = 50
			cs, err := e.svc.List(e.ctx, a, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.RMANumber)
			}
			return out
		}
		one := func(name string, got []string, want string) {
			t.Helper()
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s: %v, want [%s]", name, got, want)
			}
		}
		one("buyer", list(e.buyer, claim.Filter{}), de.RMANumber)
		if got := list(e.techMAD, claim.Filter{}); len(got) != 0 {
			t.Errorf("Madrid sees %v", got)
		}
		if got := list(e.rep, claim.Filter{}); len(got) != 2 {
			t.Errorf("rep sees %v", got)
		}
		// The queue's filters and search.
		one("country MT", list(e.rep, claim.Filter{Country: "MT"}), mt.Claim.RMANumber)
		one("country DE", list(e.rep, claim.Filter{Country: "DE"}), de.RMANumber)
		one("coverage", list(e.rep, claim.Filter{Coverage: coverage.AccidentalDamage}), mt.Claim.RMANumber)
		one("search by RMA as typed", list(e.rep, claim.Filter{Query: "rma " + de.RMANumber[4:]}), de.RMANumber)
		one("search by IMEI", list(e.rep, claim.Filter{Query: maltaIMEI}), mt.Claim.RMANumber)
		one("search by e-mail", list(e.rep, claim.Filter{Query: "Buyer@Example.com"}), de.RMANumber)
		one("search by order", list(e.rep, claim.Filter{Query: "ORD-MT"}), mt.Claim.RMANumber)
		if got := list(e.rep, claim.Filter{Query: "nothing-like-it"}); len(got) != 0 {
			t.Errorf("search for nothing: %v", got)
		}
		_, err = e.svc.List(e.ctx, e.rep, claim.Filter{Status: []claim.Status{"lost"}})
		refused(t, err, fault.Invalid, "status_invalid", "status")
		_, err = e.svc.List(e.ctx, e.rep, claim.Filter{Coverage: "theft"})
		refused(t, err, fault.Invalid, "coverage_invalid", "coverage")
	})
}
