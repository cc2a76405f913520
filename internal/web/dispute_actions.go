package web

import (
	"context"
	"slices"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/dispute"
)

// disputeAction is one entry of the catalogue of dispute actions, served as
// the API route POST /api/v1/disputes/{n}/{Path}. Who may use it is read
// from the domain's lifecycle table through the rows it fires.
type disputeAction struct {
	Path  string
	Fires []dispute.Action
	run   func(ds *dispute.Service, c *gin.Context, read func(any) bool) (v dispute.View, ok bool, err error)
}

// disputeEntry makes a catalogue entry from its request type R (json and
// form tags) and the service call that takes it.
func disputeEntry[R any](path string, call func(ds *dispute.Service, x context.Context, a account.Actor, n string, r R) (dispute.View, error),
	fires ...dispute.Action) disputeAction {
	return disputeAction{Path: path, Fires: fires,
		run: func(ds *dispute.Service, c *gin.Context, read func(any) bool) (dispute.View, bool, error) {
			var r R
			if !read(&r) {
				return dispute.View{}, false, nil
			}
			v, err := call(ds, ctx(c), actor(c), c.Param("number"), r)
			return v, true, err
		}}
}

// roles are the people who may use the action from some state.
func (a disputeAction) roles() []account.Role {
	var out []account.Role
	for _, f := range a.Fires {
		for _, r := range dispute.RolesOf(f) {
			if r != dispute.System && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// offered reports whether role may use the action on a dispute in st.
func (a disputeAction) offered(st dispute.Status, role account.Role) bool {
	return slices.ContainsFunc(a.Fires, func(f dispute.Action) bool { return dispute.Can(f, st, role) })
}

// Dispute request bodies.
type (
	offerRequest struct {
		Remedy string `json:"remedy" form:"remedy"`
		Amount string `json:"amount" form:"amount"`
	}
	decideRequest struct {
		Outcome string `json:"outcome" form:"outcome"`
		Amount  string `json:"amount" form:"amount"`
		Note    string `json:"note" form:"note"`
	}
)

type (
	dsvc     = *dispute.Service
	disputeV = dispute.View
)

func simple(a dispute.Action) func(ds dsvc, x cx, u actr, n string, r noteRequest) (disputeV, error) {
	return func(ds dsvc, x cx, u actr, n string, r noteRequest) (disputeV, error) {
		return ds.Act(x, u, n, a, dispute.Input{Note: r.Note})
	}
}

// disputeActions is the catalogue. Accept is one route for both sides: the
// seller accepts the buyer's request, the buyer the seller's offer.
var disputeActions = []disputeAction{
	disputeEntry("accept", func(ds dsvc, x cx, u actr, n string, r noteRequest) (disputeV, error) {
		a := dispute.Accept
		if u.Role == account.Buyer {
			a = dispute.AcceptOffer
		}
		return ds.Act(x, u, n, a, dispute.Input{Note: r.Note})
	}, dispute.Accept, dispute.AcceptOffer),
	disputeEntry("offer", func(ds dsvc, x cx, u actr, n string, r offerRequest) (disputeV, error) {
		return ds.Act(x, u, n, dispute.Offer, dispute.Input{Remedy: dispute.Remedy(r.Remedy), Amount: r.Amount})
	}, dispute.Offer),
	disputeEntry("refuse", simple(dispute.Refuse), dispute.Refuse),
	disputeEntry("decline", simple(dispute.Decline), dispute.Decline),
	disputeEntry("escalate", simple(dispute.Escalate), dispute.Escalate),
	disputeEntry("decide", func(ds dsvc, x cx, u actr, n string, r decideRequest) (disputeV, error) {
		in, err := dispute.ParseOutcome(r.Outcome)
		if err != nil {
			return disputeV{}, err
		}
		in.Amount, in.Note = r.Amount, r.Note
		a := dispute.DecideRefund
		if in.Reject {
			a = dispute.DecideReject
		}
		return ds.Act(x, u, n, a, in)
	}, dispute.DecideRefund, dispute.DecideReject),
	disputeEntry("send-back", simple(dispute.SendBack), dispute.SendBack),
	disputeEntry("return-received", simple(dispute.ConfirmReturn), dispute.ConfirmReturn),
	disputeEntry("withdraw", simple(dispute.Withdraw), dispute.Withdraw),
}
