package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/evidence"
	"rma/internal/fault"
)

type attachmentJSON struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	ByRole      string    `json:"by_role"`
	Thumbnail   bool      `json:"thumbnail"`
}

func renderAttachment(a evidence.Attachment) attachmentJSON {
	return attachmentJSON{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size, CreatedAt: a.CreatedAt,
		ByRole: string(a.ByRole), Thumbnail: a.ThumbKey != ""}
}

// attachFile keeps the multipart field "file" with the claim.
func (s *Server) attachFile(c *gin.Context) {
	fh, err := c.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.fail(c, evidence.ErrTooLarge)
		return
	case err != nil:
		s.fail(c, fault.Field("file", "file_required"))
		return
	case fh.Size > evidence.MaxSize:
		s.fail(c, evidence.ErrTooLarge)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, evidence.MaxSize+1))
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.Evidence.Attach(ctx(c), actor(c), c.Param("rma"), fh.Filename, data)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, renderAttachment(a))
}

// listAttachments lists a claim's files.
func (s *Server) listAttachments(c *gin.Context) {
	list, err := s.Evidence.List(ctx(c), actor(c), c.Param("rma"))
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

func (s *Server) downloadAttachment(c *gin.Context) { s.sendAttachment(c, false) }

func (s *Server) downloadThumbnail(c *gin.Context) { s.sendAttachment(c, true) }

// sendAttachment sends a file's bytes, never to be sniffed or run by the
// browser as anything but what it was checked to be.
func (s *Server) sendAttachment(c *gin.Context, thumb bool) {
	a, data, err := s.Evidence.Open(ctx(c), actor(c), c.Param("rma"), c.Param("id"), thumb)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeAttachment(c, a, data)
}

// writeAttachment sends a checked file of a claim or a dispute.
func writeAttachment(c *gin.Context, a evidence.Attachment, data []byte) {
	disposition := "inline"
	if a.ContentType == "application/pdf" {
		disposition = "attachment"
	}
	c.Header("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}))
	c.Header("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Header("Cache-Control", "private, max-age=3600")
	c.Data(http.StatusOK, a.ContentType, data)
}
