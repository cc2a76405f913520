package evidence

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"rma/internal/evidence/evidencetest"
)

func TestCheckRefusesWhatIsNotEvidence(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"page.jpg", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), ErrType},
		{"big.jpg", append(evidencetest.JPEGWithGPS(t), make([]byte, 11<<20)...), ErrTooLarge},
		{"bomb.png", evidencetest.HugePNG(t), ErrDimensions},
		{"empty.png", nil, ErrEmpty},
		{"cut.jpg", evidencetest.JPEGWithGPS(t)[:300], ErrUnreadable},
		{"script.pdf", []byte(strings.Replace(evidencetest.PDF, "/Catalog", "/Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", 1)), ErrActivePDF},
		{"cut.pdf", []byte(evidencetest.PDF[:40]), ErrUnreadable},
		{"archive.pdf", []byte("PK\x03\x04zip file"), ErrType},
	}
	for _, tc := range cases {
		if _, err := Check(tc.name, tc.data); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestCheckKeepsWhatTheContentIs(t *testing.T) {
	f, err := Check("screen.pdf", evidencetest.PNG(t, evidencetest.TwoTone(8, 4)))
	if err != nil || f.ContentType != "image/png" || f.Name != "screen.png" || f.Thumb == nil {
		t.Errorf("PNG named .pdf: %+v %v", f.Name, err)
	}
	f, err = Check(`C:\Users\me\invoice.jpg`, []byte(evidencetest.PDF))
	if err != nil || f.ContentType != "application/pdf" || f.Name != "invoice.pdf" || f.Thumb != nil {
		t.Errorf("PDF named .jpg: %+v %v", f.Name, err)
	}
}

// TestImagesLoseTheirMetadata: the kept photo has no EXIF segment and no
// GPS bytes, and it is turned upright as its orientation said.
func TestImagesLoseTheirMetadata(t *testing.T) {
	src := evidencetest.JPEGWithGPS(t)
	if !bytes.Contains(src, evidencetest.GPSLatitude) {
		t.Fatal("the sample carries no GPS")
	}
	f, err := Check("photo.jpeg", src)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(f.Data, []byte("Exif")) || bytes.Contains(f.Data, evidencetest.GPSLatitude) || bytes.Contains(f.Data, []byte{0xFF, 0xE1}) {
		t.Error("the kept photo still carries EXIF or GPS")
	}
	img, format, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil || format != "jpeg" || f.ContentType != "image/jpeg" || f.Name != "photo.jpg" {
		t.Fatalf("kept %s %s %v", format, f.ContentType, err)
	}
	if b := img.Bounds(); b.Dx() != 20 || b.Dy() != 40 {
		t.Fatalf("kept %v, want 20 x 40 (turned upright)", b)
	}
	// Turned clockwise, the left (red) half is on top.
	if r, _, b, _ := img.At(10, 5).RGBA(); r < b {
		t.Error("top is not red")
	}
	if r, _, b, _ := img.At(10, 35).RGBA(); r > b {
		t.Error("bottom is not blue")
	}
	thumb, _, err := image.DecodeConfig(bytes.NewReader(f.Thumb))
	if err != nil || thumb.Width != 20 || thumb.Height != 40 {
		t.Errorf("thumbnail %+v %v", thumb, err)
	}
}

func TestThumbnailsAreSmall(t *testing.T) {
	f, err := Check("wide.png", evidencetest.PNG(t, evidencetest.TwoTone(1600, 400)))
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Thumb))
	if err != nil || cfg.Width != thumbSide || cfg.Height != 80 {
		t.Errorf("thumbnail %+v %v", cfg, err)
	}
}

func TestOrientationsTurnUpright(t *testing.T) {
	src := evidencetest.TwoTone(4, 2)
	for o := 1; o <= 8; o++ {
		out := upright(src, o).Bounds()
		w, h := 4, 2
		if o >= 5 {
			w, h = 2, 4
		}
		if out.Dx() != w || out.Dy() != h {
			t.Errorf("orientation %d: %v", o, out)
		}
	}
}

// BenchmarkCheckPhoto measures checking, re-encoding and thumbnailing a
// 4000 x 3000 phone photo (12 megapixels).
func BenchmarkCheckPhoto(b *testing.B) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, evidencetest.TwoTone(4000, 3000), &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Check("photo.jpg", data); err != nil {
			b.Fatal(err)
		}
	}
}
