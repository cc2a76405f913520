package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/dispute"
	"rma/internal/refund"
)

type openDisputeRequest struct {
	OrderNumber string `json:"order_number" form:"order_number"`
	Reason      string `json:"reason" form:"reason"`
	Description string `json:"description" form:"description"`
	Remedy      string `json:"remedy" form:"remedy"`
	Amount      string `json:"amount" form:"amount"`
}

// openDispute lets a buyer open a dispute on an order.
func (s *Server) openDispute(c *gin.Context) {
	var req openDisputeRequest
	if !s.bind(c, &req) {
		return
	}
	v, err := s.Disputes.Open(ctx(c), actor(c), dispute.Request{OrderNumber: req.OrderNumber,
		Reason: dispute.Reason(req.Reason), Description: req.Description, Remedy: dispute.Remedy(req.Remedy),
		Amount: req.Amount})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, renderDispute(v, s.Disputes.Now()))
}

// listDisputes lists the disputes the caller may see, newest first; a
// seller's by deadline with ?order=seller_due.
func (s *Server) listDisputes(c *gin.Context) {
	limit, cursor, err := listParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := dispute.Filter{Limit: limit, After: cursor, BySellerDue: c.Query("order") == "seller_due"}
	for _, st := range strings.Split(c.Query("status"), ",") {
		if st = strings.TrimSpace(st); st != "" {
			f.Status = append(f.Status, dispute.Status(st))
		}
	}
	ds, err := s.Disputes.List(ctx(c), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]disputeJSON, len(ds))
	for i, d := range ds {
		items[i] = renderDispute(dispute.View{Dispute: d}, s.Disputes.Now())
	}
	next := ""
	if len(ds) == limit && !f.BySellerDue {
		next = ds[len(ds)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

// showDispute returns one dispute with its messages and promises.
func (s *Server) showDispute(c *gin.Context) {
	v, err := s.Disputes.Get(ctx(c), actor(c), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, renderDispute(v, s.Disputes.Now()))
}

type messageRequest struct {
	Body string `json:"body" form:"body"`
}

// postDisputeMessage adds a message to a dispute.
func (s *Server) postDisputeMessage(c *gin.Context) {
	var req messageRequest
	if !s.bind(c, &req) {
		return
	}
	m, err := s.Disputes.Post(ctx(c), actor(c), c.Param("number"), req.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, renderMessage(m))
}

// apiDisputeAction serves a catalogue entry as a JSON API route.
func (s *Server) apiDisputeAction(a disputeAction) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, ok, err := a.run(s.Disputes, c, func(req any) bool { return s.bind(c, req) })
		if !ok {
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, renderDispute(v, s.Disputes.Now()))
	}
}

type refundJSON struct {
	ID          string    `json:"id"`
	OrderNumber string    `json:"order_number"`
	Amount      string    `json:"amount"`
	Currency    string    `json:"currency"`
	Reason      string    `json:"reason"`
	Source      string    `json:"source"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
}

// listRefunds lists the refunds ledger: every row for admins, a buyer's own
// orders' rows for a buyer.
func (s *Server) listRefunds(c *gin.Context) {
	limit, _, err := listParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rs, err := s.Refunds.List(ctx(c), actor(c), c.Query("order_number"), limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]refundJSON, len(rs))
	for i, r := range rs {
		items[i] = renderRefund(r)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

func renderRefund(r refund.Refund) refundJSON {
	return refundJSON{ID: r.ID, OrderNumber: r.OrderNumber, Amount: r.Amount.Amount(), Currency: r.Amount.Currency,
		Reason: r.Reason, Source: string(r.Source), Status: string(r.Status), CreatedAt: r.CreatedAt.UTC()}
}
