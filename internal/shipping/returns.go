package shipping

import (
	"context"
	"strings"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/fault"
	"rma/internal/seller"
	"rma/internal/slip"
)

// ReturnSlips prints the slip a buyer sends an item back to its seller
// with when a dispute ends in a return, and reads its code back when the
// seller scans the parcel.
type ReturnSlips struct {
	disputes *dispute.Service
	sellers  *seller.Service
	signer   slip.Signer
	renderer *slip.Renderer
}

// NewReturnSlips returns the return slip service.
func NewReturnSlips(disputes *dispute.Service, sellers *seller.Service, signer slip.Signer, renderer *slip.Renderer) *ReturnSlips {
	return &ReturnSlips{disputes: disputes, sellers: sellers, signer: signer, renderer: renderer}
}

// ErrNoReturnSlip is a dispute that has no return agreed, or no longer
// waits for one.
var ErrNoReturnSlip = fault.New(fault.Conflict, "return_slip_unavailable")

// HasSlip reports whether a dispute has a return slip to print now.
func HasSlip(d dispute.Dispute) bool {
	return d.Remedy == dispute.ReturnAndRefund && (d.Status == dispute.Agreed || d.Status == dispute.Returning)
}

// Slip renders the return slip of the buyer's dispute, in the buyer's
// language, addressed to the seller's return address; its file name is
// the second result.
func (s *ReturnSlips) Slip(ctx context.Context, actor account.Actor, number string, f slip.Format) ([]byte, string, error) {
	if actor.Role != account.Buyer {
		return nil, "", dispute.ErrForbidden
	}
	v, err := s.disputes.Get(ctx, actor, number)
	if err != nil {
		return nil, "", err
	}
	d := v.Dispute
	if !HasSlip(d) {
		return nil, "", ErrNoReturnSlip
	}
	o, err := s.disputes.OrderOf(ctx, v)
	if err != nil {
		return nil, "", err
	}
	sl, err := s.sellers.Get(ctx, d.SellerCode)
	if err != nil {
		return nil, "", err
	}
	lang := d.Language
	if lang == "" {
		lang = actor.Language
	}
	refund := d.Amount.String()
	if lang != "en" {
		refund = strings.Replace(refund, ".", ",", 1)
	}
	pdf, err := s.renderer.RenderReturn(slip.DisputeReturn{DisputeNumber: d.Number, URL: s.signer.DisputeURL(d.Number),
		Code: s.signer.DisputeCode(d.Number), Language: lang,
		Buyer:  slip.Party{Name: o.BuyerName, Address: o.ShippingAddress},
		Seller: slip.Party{Name: sl.Name, Address: sl.ReturnAddress}, OrderNumber: o.Number, Product: o.ProductName,
		Refund: refund}, f)
	if err != nil {
		return nil, "", err
	}
	return pdf, "return-" + d.Number + "-" + string(f) + ".pdf", nil
}

// Read returns the dispute number a scanned return slip names; a code we
// did not sign is refused with its reason.
func (s *ReturnSlips) Read(code string) (string, error) {
	n, problem := s.signer.ReadDispute(code)
	if problem != "" {
		return "", fault.Field("code", "return_"+string(problem))
	}
	return n, nil
}

// ConfirmScanned confirms, as the seller, the return whose slip was
// scanned: the refund follows. Another seller's parcel is not found.
func (s *ReturnSlips) ConfirmScanned(ctx context.Context, actor account.Actor, code string) (dispute.View, error) {
	n, err := s.Read(code)
	if err != nil {
		return dispute.View{}, err
	}
	return s.disputes.Act(ctx, actor, n, dispute.ConfirmReturn, dispute.Input{Note: "scanned"})
}
