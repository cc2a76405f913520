package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/evidence"
	"rma/internal/fault"
)

// upload reads the multipart field "file" under the attachments' limit.
func upload(c *gin.Context) (name string, data []byte, err error) {
	fh, err := c.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return "", nil, evidence.ErrTooLarge
	case err != nil:
		return "", nil, fault.Field("file", "file_required")
	case fh.Size > evidence.MaxSize:
		return "", nil, evidence.ErrTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, evidence.MaxSize+1))
	return fh.Filename, data, err
}

// attachDisputeFile keeps the multipart field "file" with the dispute.
func (s *Server) attachDisputeFile(c *gin.Context) {
	name, data, err := upload(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.DisputeFiles.Attach(ctx(c), actor(c), c.Param("number"), name, data)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, renderAttachment(a))
}

// listDisputeAttachments lists a dispute's files.
func (s *Server) listDisputeAttachments(c *gin.Context) {
	list, err := s.DisputeFiles.List(ctx(c), actor(c), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]attachmentJSON, len(list))
	for i, a := range list {
		items[i] = renderAttachment(a)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

// sendDisputeFile sends a dispute's file, or its thumbnail; pages and the
// API answer the same way.
func (s *Server) sendDisputeFile(thumb bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, data, err := s.DisputeFiles.Open(ctx(c), actor(c), c.Param("number"), c.Param("id"), thumb)
		if err != nil {
			if strings.HasPrefix(c.FullPath(), "/api/") {
				s.fail(c, err)
			} else {
				s.pageFail(c, err)
			}
			return
		}
		writeAttachment(c, a, data)
	}
}

// attachDisputePage keeps a file sent from the dispute page.
func (s *Server) attachDisputePage(c *gin.Context) {
	number := c.Param("number")
	name, data, err := upload(c)
	if err == nil {
		_, err = s.DisputeFiles.Attach(ctx(c), actor(c), number, name, data)
	}
	if err != nil {
		s.disputeFormFailed(c, err, number)
		return
	}
	c.Redirect(http.StatusSeeOther, "/disputes/"+c.Param("number")+"?done=dispute.attach#files")
}

// The buyer, the seller and reps add files to a dispute; whoever sees the
// dispute reads them.
var (
	disputeFileWriters = []account.Role{account.Buyer, account.Seller, account.Rep}
	disputeFileReaders = []account.Role{account.Buyer, account.Seller, account.Rep, account.Admin}
)

// disputeFileRoutes declares the API routes of dispute files and of the
// return slip.
func (s *Server) disputeFileRoutes(api *gin.RouterGroup) {
	api.POST("/:number/attachments", s.requireRole(disputeFileWriters...), s.attachDisputeFile)
	api.GET("/:number/attachments", s.requireRole(disputeFileReaders...), s.listDisputeAttachments)
	api.GET("/:number/attachments/:id", s.requireRole(disputeFileReaders...), s.sendDisputeFile(false))
	api.GET("/:number/attachments/:id/thumbnail", s.requireRole(disputeFileReaders...), s.sendDisputeFile(true))
	api.GET("/:number/return-slip.pdf", s.requireRole(account.Buyer), s.downloadReturnSlip)
	api.POST("/:number/return-delivered", s.requireRole(account.Admin), s.recordReturnDelivery)
}

// disputeFilePages declares the dispute files' page routes.
func (s *Server) disputeFilePages(pages *gin.RouterGroup) {
	parties, readers := disputeFileWriters, disputeFileReaders
	pages.POST("/disputes/:number/attachments", s.pageRole(parties...), s.attachDisputePage)
	pages.GET("/disputes/:number/attachments/:id", s.pageRole(readers...), s.sendDisputeFile(false))
	pages.GET("/disputes/:number/attachments/:id/thumbnail", s.pageRole(readers...), s.sendDisputeFile(true))
}
