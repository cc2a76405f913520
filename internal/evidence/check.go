// Package evidence keeps the photos and documents attached to claims: it
// checks each file by its content (JPEG, PNG, WebP or PDF, at most 10 MB),
// re-encodes images so that no EXIF, GPS or other metadata survives, makes
// thumbnails for pages, and stores the bytes in a blob store (a directory
// under the data dir, or S3-compatible object storage).
package evidence

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"path"
	"strings"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP with image.Decode

	"rma/internal/fault"
)

// MaxSize is the largest file accepted, in bytes.
const MaxSize = 10 << 20

// Limits on an image's dimensions, checked from its header before the
// pixels are decoded: a small file can claim a picture that would take
// gigabytes to decode.
const (
	MaxSide   = 12000
	MaxPixels = 50_000_000
)

// thumbSide is the longest side of a thumbnail, in pixels.
const thumbSide = 320

// Why a file is refused; each is a message key.
var (
	ErrTooLarge   = fault.New(fault.TooLarge, "file_too_large")
	ErrType       = fault.Field("file", "file_type_refused")
	ErrUnreadable = fault.Field("file", "file_unreadable")
	ErrDimensions = fault.Field("file", "image_too_large")
	ErrEmpty      = fault.Field("file", "file_required")
	ErrActivePDF  = fault.Field("file", "pdf_active_content")
)

// File is a checked file, ready to keep: its bytes are what is stored (for
// images, re-encoded without metadata), Thumb is a small JPEG for pages (nil
// for documents).
type File struct {
	Name        string
	ContentType string
	Data        []byte
	Thumb       []byte
}

// Check reads an uploaded file by its content, whatever its name says, and
// returns what may be kept, or why not.
func Check(name string, data []byte) (File, error) {
	if len(data) > MaxSize {
		return File{}, ErrTooLarge
	}
	if len(data) == 0 {
		return File{}, ErrEmpty
	}
	switch http.DetectContentType(data) {
	case "application/pdf":
		return checkPDF(name, data)
	case "image/jpeg", "image/png", "image/webp":
		return checkImage(name, data)
	}
	return File{}, ErrType
}

// checkPDF takes a document that is a PDF from its first to its last line
// and carries no scripts, launch actions or embedded files in plain sight.
func checkPDF(name string, data []byte) (File, error) {
	tail := data[max(0, len(data)-2048):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return File{}, ErrUnreadable
	}
	for _, active := range []string{"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/OpenAction"} {
		if bytes.Contains(data, []byte(active)) {
			return File{}, ErrActivePDF
		}
	}
	return File{Name: rename(name, ".pdf"), ContentType: "application/pdf", Data: data}, nil
}

// checkImage refuses huge dimensions before decoding, then decodes the
// picture, turns it upright as its EXIF orientation says and encodes it
// afresh: the new file has pixels and nothing else. WebP, which the
// standard library cannot write, is kept as PNG.
func checkImage(name string, data []byte) (File, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return File{}, ErrUnreadable
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return File{}, ErrDimensions
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return File{}, ErrUnreadable
	}
	if format == "jpeg" {
		img = upright(img, jpegOrientation(data))
	}
	var out bytes.Buffer
	f := File{}
	if format == "jpeg" {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 90})
		f.Name, f.ContentType = rename(name, ".jpg"), "image/jpeg"
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img)
		f.Name, f.ContentType = rename(name, ".png"), "image/png"
	}
	if err != nil {
		return File{}, ErrUnreadable
	}
	f.Data = out.Bytes()
	if f.Thumb, err = thumbnail(img); err != nil {
		return File{}, ErrUnreadable
	}
	return f, nil
}

// thumbnail scales img to fit thumbSide and encodes it as JPEG.
func thumbnail(img image.Image) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > thumbSide || h > thumbSide {
		if w >= h {
			w, h = thumbSide, max(1, h*thumbSide/w)
		} else {
			w, h = max(1, w*thumbSide/h), thumbSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// rename gives a file the extension of what it really is, and keeps only a
// plain base name of at most 120 characters.
func rename(name, ext string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`"<>:|?*`, r) {
			return '_'
		}
		return r
	}, name)
	base := strings.TrimSuffix(name, path.Ext(name))
	if base == "" || base == "." || base == "/" {
		base = "file"
	}
	if r := []rune(base); len(r) > 120 {
		base = string(r[:120])
	}
	return base + ext
}
