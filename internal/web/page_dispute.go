package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/evidence"
	"rma/internal/order"
	"rma/internal/refund"
	"rma/internal/shipping"
)

// disputePageData is a dispute's page: the dispute, its order, and what the
// reader may do now.
type disputePageData struct {
	dispute.View
	Order order.Order
	// Offered holds the paths of the dispute catalogue's actions the reader
	// may take now: the forms the page shows.
	Offered map[string]bool
	// Messaging: the reader may write to the other side.
	Messaging bool
	Remedies  []dispute.Remedy
	Outcomes  []string
	// ReturnSlip: the buyer may print the return slip.
	ReturnSlip bool
	// Refunds are the rows of the refunds ledger the dispute ended in.
	Refunds []refund.Refund
	// Files are both sides' evidence; Attaching: the reader may add one.
	Files     []evidence.Attachment
	Attaching bool
}

// Can reports whether the page offers the catalogue action at path.
func (d disputePageData) Can(path string) bool { return d.Offered[path] }

// offeredDisputeActions returns the paths of the catalogue's actions role may
// use on a dispute in st.
func offeredDisputeActions(st dispute.Status, role account.Role) map[string]bool {
	out := map[string]bool{}
	for _, a := range disputeActions {
		if a.offered(st, role) {
			out[a.Path] = true
		}
	}
	return out
}

// outcomes are a rep's possible decisions: a remedy, or rejected.
func outcomes() []string {
	out := make([]string, 0, len(dispute.Remedies)+1)
	for _, r := range dispute.Remedies {
		out = append(out, string(r))
	}
	return append(out, dispute.OutcomeRejected)
}

// disputeData is what the dispute page shows for a reader of role.
func disputeData(v dispute.View, o order.Order, role account.Role) disputePageData {
	st := v.Dispute.Status
	return disputePageData{View: v, Order: o, Offered: offeredDisputeActions(st, role),
		Messaging: !st.Terminal() && (role == account.Buyer || role == account.Seller || role == account.Rep),
		Attaching: !st.Terminal() && slices.Contains(disputeFileWriters, role),
		Remedies:  dispute.Remedies, Outcomes: outcomes(),
		ReturnSlip: role == account.Buyer && shipping.HasSlip(v.Dispute)}
}

func (s *Server) disputePage(c *gin.Context, status int, p page, number string) {
	v, err := s.Disputes.Get(ctx(c), actor(c), number)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	o, err := s.Disputes.OrderOf(ctx(c), v)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	d := disputeData(v, o, user(c).Role)
	if d.Refunds, err = s.Disputes.RefundsOf(ctx(c), v); err != nil {
		s.pageFail(c, err)
		return
	}
	if d.Files, err = s.DisputeFiles.List(ctx(c), actor(c), v.Dispute.Number); err != nil {
		s.pageFail(c, err)
		return
	}
	p.Loc = dispute.BuyerLocation(v.Dispute.Country)
	p.Data = d
	s.render(c, status, "dispute", p)
}

// showDisputePage is one dispute for its buyer, its seller and staff: the
// request, the offer, both sides' messages, the promises and the timeline,
// and the forms the reader may use.
func (s *Server) showDisputePage(c *gin.Context) {
	s.disputePage(c, http.StatusOK, s.newPage(c, "dispute.title"), c.Param("number"))
}

// pageDisputeAction serves a dispute catalogue entry as a page form: it runs
// the action and comes back to the dispute page, with the result or with the
// form's problems next to their fields.
func (s *Server) pageDisputeAction(a disputeAction) gin.HandlerFunc {
	return func(c *gin.Context) {
		number := c.Param("number")
		v, ok, err := a.run(s.Disputes, c, func(req any) bool {
			if err := c.ShouldBindWith(req, binding.Form); err != nil {
				s.pageError(c, http.StatusBadRequest, "bad_request")
				return false
			}
			return true
		})
		if !ok {
			return
		}
		if err != nil {
			s.disputeFormFailed(c, err, number)
			return
		}
		c.Redirect(http.StatusSeeOther, "/disputes/"+v.Dispute.Number+"?done=dispute."+a.Path)
	}
}

// disputeFormFailed shows the dispute page again with a refused form's
// problems; a foreign dispute or a failure is an error page.
func (s *Server) disputeFormFailed(c *gin.Context, err error, number string) {
	status := statusOfErr(err)
	if status == http.StatusNotFound || status >= 500 {
		s.pageFail(c, err)
		return
	}
	s.disputePage(c, status, s.withErrors(s.newPage(c, "dispute.title"), c, err), number)
}

// postDisputeMessagePage adds a message from the dispute page.
func (s *Server) postDisputeMessagePage(c *gin.Context) {
	number := c.Param("number")
	if _, err := s.Disputes.Post(ctx(c), actor(c), number, c.PostForm("body")); err != nil {
		s.disputeFormFailed(c, err, number)
		return
	}
	c.Redirect(http.StatusSeeOther, "/disputes/"+strings.ToUpper(strings.TrimSpace(number))+"?done=dispute.message#messages")
}

// disputeListData is a buyer's or a seller's list of disputes; a seller's
// comes with their compliance figures.
type disputeListData struct {
	Items   []disputeItem
	Figures *dispute.SellerFigures
}

// disputeItem is a dispute in a list with its deadline badge.
type disputeItem struct {
	Dispute dispute.Dispute
	SLA     string
}

// myDisputes lists a buyer's disputes (newest first) or a seller's (soonest
// deadline first, with their figures).
func (s *Server) myDisputes(c *gin.Context) {
	title := "nav.my_disputes"
	if user(c).Role == account.Seller {
		title = "nav.disputes"
	}
	s.disputeList(c, http.StatusOK, s.newPage(c, title))
}

// disputeList renders a buyer's or a seller's list on p with status.
func (s *Server) disputeList(c *gin.Context, status int, p page) {
	role := user(c).Role
	ds, err := s.Disputes.List(ctx(c), actor(c), dispute.Filter{Limit: 200, BySellerDue: role == account.Seller})
	if err != nil {
		s.pageFail(c, err)
		return
	}
	d := disputeListData{}
	if role == account.Seller {
		f, err := s.Disputes.Figures(ctx(c), actor(c))
		if err != nil {
			s.pageFail(c, err)
			return
		}
		d.Figures = &f
	}
	now := s.Disputes.Now()
	for _, x := range ds {
		item := disputeItem{Dispute: x, SLA: "on_time"}
		if due := x.SellerDueAt; due != nil && x.Status == dispute.Open {
			item.SLA = sla(*due, now)
		}
		d.Items = append(d.Items, item)
	}
	p.Data = d
	s.render(c, status, "my_disputes", p)
}

// disputeQueue is the reps' queue of escalated disputes, soonest decision
// deadline first: a tab beside the claims.
func (s *Server) disputeQueue(c *gin.Context) {
	ds, err := s.Disputes.Escalated(ctx(c), actor(c))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	now := s.Disputes.Now()
	var items []disputeItem
	for _, x := range ds {
		item := disputeItem{Dispute: x, SLA: "on_time"}
		if x.DecisionDueAt != nil {
			item.SLA = sla(*x.DecisionDueAt, now)
		}
		items = append(items, item)
	}
	p := s.newPage(c, "queue.disputes")
	p.Data = items
	s.render(c, http.StatusOK, "dispute_queue", p)
}

// newDisputeData is the form to open a dispute.
type newDisputeData struct {
	Order    string
	Reasons  []dispute.Reason
	Remedies []dispute.Remedy
}

func (s *Server) disputeForm(c *gin.Context, status int, p page, orderNumber string) {
	p.Data = newDisputeData{Order: strings.TrimSpace(orderNumber), Reasons: dispute.Reasons, Remedies: dispute.Remedies}
	s.render(c, status, "new_dispute", p)
}

// newDispute is the buyer's form to open a dispute on an order
// (?order= fills the order number in).
func (s *Server) newDispute(c *gin.Context) {
	s.disputeForm(c, http.StatusOK, s.newPage(c, "nav.new_dispute"), c.Query("order"))
}

// openDisputePage opens the dispute, or shows the form again with each
// problem next to its field.
func (s *Server) openDisputePage(c *gin.Context) {
	var req openDisputeRequest
	if err := c.ShouldBindWith(&req, binding.Form); err != nil {
		s.pageError(c, http.StatusBadRequest, "bad_request")
		return
	}
	v, err := s.Disputes.Open(ctx(c), actor(c), dispute.Request{OrderNumber: req.OrderNumber,
		Reason: dispute.Reason(req.Reason), Description: req.Description, Remedy: dispute.Remedy(req.Remedy),
		Amount: req.Amount})
	if err != nil {
		status := statusOfErr(err)
		if status >= 500 {
			s.pageFail(c, err)
			return
		}
		s.disputeForm(c, status, s.withErrors(s.newPage(c, "nav.new_dispute"), c, err), req.OrderNumber)
		return
	}
	c.Redirect(http.StatusSeeOther, "/disputes/"+v.Dispute.Number+"?done=dispute.opened")
}

// disputePageRoutes declares the dispute pages: a buyer's and a seller's
// lists, the form to open one, the dispute page with its messages, the reps'
// tab of escalated disputes, and a page form for every entry of the dispute
// catalogue (the same entries as the API's routes).
func (s *Server) disputePageRoutes(pages *gin.RouterGroup) {
	parties := pages.Group("", s.pageRole(account.Buyer, account.Seller))
	parties.GET("/disputes", s.myDisputes)
	buyer := pages.Group("", s.pageRole(account.Buyer))
	buyer.GET("/disputes/new", s.newDispute)
	buyer.POST("/disputes/new", s.openDisputePage)
	seen := pages.Group("", s.pageRole(account.Buyer, account.Seller, account.Rep, account.Admin))
	seen.GET("/disputes/:number", s.showDisputePage)
	pages.POST("/disputes/:number/messages", s.pageRole(account.Buyer, account.Seller, account.Rep), s.postDisputeMessagePage)
	for _, a := range disputeActions {
		pages.POST("/disputes/:number/"+a.Path, s.pageRole(a.roles()...), s.pageDisputeAction(a))
	}
	pages.GET("/queue/disputes", s.pageRole(account.Rep, account.Admin), s.disputeQueue)
	s.disputeFilePages(pages)
	s.returnSlipPages(pages)
}
