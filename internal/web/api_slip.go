package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/shipping"
	"rma/internal/slip"
)

// downloadSlip sends the claim's shipping slip as a PDF.
func (s *Server) downloadSlip(c *gin.Context) {
	f, ok := slip.ParseFormat(c.Query("format"))
	if !ok {
		s.fail(c, fault.Field("format", "slip_format_invalid"))
		return
	}
	lang := ""
	if q := c.Query("lang"); q != "" {
		lang = s.Catalog.Pick(q)
	}
	k, err := s.Shipping.KeptSlip(ctx(c), actor(c), c.Param("rma"), f, lang, c.GetHeader("If-None-Match"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", k.ETag)
	c.Header("Cache-Control", "private, max-age=300")
	if k.NotModified {
		c.Status(http.StatusNotModified)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+k.Name+`"`)
	c.Data(http.StatusOK, "application/pdf", k.PDF)
}

// downloadReturnLabel sends the label the device goes back to its buyer
// with.
func (s *Server) downloadReturnLabel(c *gin.Context) {
	f, ok := slip.ParseFormat(c.Query("format"))
	if !ok {
		s.fail(c, fault.Field("format", "slip_format_invalid"))
		return
	}
	pdf, name, err := s.Shipping.ReturnLabel(ctx(c), actor(c), c.Param("rma"), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "application/pdf", pdf)
}

type scanRequest struct {
	Code         string `json:"code"`
	IMEI         string `json:"imei"`
	SerialNumber string `json:"serial_number"`
}

// scanLabel takes a device in at the technician's center.
func (s *Server) scanLabel(c *gin.Context) {
	var req scanRequest
	if !s.bind(c, &req) {
		return
	}
	if req.Code == "" {
		s.fail(c, fault.Field("code", "code_required"))
		return
	}
	v, first, err := s.Shipping.Scan(ctx(c), actor(c), shipping.ScanInput{Code: req.Code,
		Device: claim.Device{IMEI: req.IMEI, Serial: req.SerialNumber}})
	if err != nil {
		s.fail(c, err)
		return
	}
	// A repeated scan answers with the same claim; the header tells a scan
	// station that nothing new happened.
	c.Header("Intake-Repeat", strconv.FormatBool(!first))
	c.JSON(http.StatusOK, renderView(v, s.Claims.Now()))
}
