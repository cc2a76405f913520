package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/fault"
	"rma/internal/slip"
)

// downloadReturnSlip sends a dispute's return slip to its buyer, for the
// API and the page alike.
func (s *Server) downloadReturnSlip(c *gin.Context) {
	f, ok := slip.ParseFormat(c.Query("format"))
	if !ok {
		s.fail(c, fault.Field("format", "slip_format_invalid"))
		return
	}
	pdf, name, err := s.ReturnSlips.Slip(ctx(c), actor(c), c.Param("number"), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// confirmReturnScan confirms the return whose slip the seller scanned (a
// USB scanner types the code and Enter into the form on their list).
func (s *Server) confirmReturnScan(c *gin.Context) {
	v, err := s.ReturnSlips.ConfirmScanned(ctx(c), actor(c), c.PostForm("code"))
	if err != nil {
		status := statusOfErr(err)
		if status == http.StatusNotFound || status >= 500 {
			s.pageFail(c, err)
			return
		}
		p := s.withErrors(s.newPage(c, "nav.disputes"), c, err)
		s.disputeList(c, status, p)
		return
	}
	c.Redirect(http.StatusSeeOther, "/disputes/"+v.Dispute.Number+"?done=dispute.return-received")
}

// openReturnSlip is where a return slip's QR code leads a phone: the
// dispute's page, for whoever may see it (a foreign one is not found).
func (s *Server) openReturnSlip(c *gin.Context) {
	n, err := s.ReturnSlips.Read(c.Param("code"))
	if err != nil {
		s.pageError(c, http.StatusNotFound, "return_label_forged")
		return
	}
	c.Redirect(http.StatusSeeOther, "/disputes/"+n)
}

// returnSlipPages declares the return slip's pages.
func (s *Server) returnSlipPages(pages *gin.RouterGroup) {
	pages.GET("/disputes/:number/return-slip.pdf", s.pageRole(account.Buyer), s.downloadReturnSlip)
	pages.POST("/disputes/scan", s.pageRole(account.Seller), s.confirmReturnScan)
	pages.GET("/r/:code", s.pageRole(account.Buyer, account.Seller, account.Rep, account.Admin), s.openReturnSlip)
}

type returnDeliveredRequest struct {
	DeliveredAt string `json:"delivered_at"`
}

// recordReturnDelivery takes the carrier's report that a returned item
// reached the seller (admins: operations or a carrier feed): the seller's
// days to confirm it start.
func (s *Server) recordReturnDelivery(c *gin.Context) {
	var req returnDeliveredRequest
	if !s.bind(c, &req) {
		return
	}
	at, err := dispute.ParseDeliveredAt(req.DeliveredAt)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.Disputes.RecordReturnDelivery(ctx(c), actor(c), c.Param("number"), at)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, renderDispute(v, s.Disputes.Now()))
}
