// Package evidencetest makes sample uploads for tests: a phone photo with
// GPS EXIF, a PNG bomb, PNGs and a PDF.
package evidencetest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// GPSLatitude is the GPS latitude written into the sample's EXIF: 52° 31'
// 12.34" as three rationals; the stored file must not carry these bytes.
var GPSLatitude = func() []byte {
	b := make([]byte, 24)
	for i, v := range [][2]uint32{{52, 1}, {31, 1}, {1234, 100}} {
		binary.LittleEndian.PutUint32(b[8*i:], v[0])
		binary.LittleEndian.PutUint32(b[8*i+4:], v[1])
	}
	return b
}()

// exifSegment is an APP1 segment with orientation 6 (turn 90° clockwise)
// and a GPS directory holding GPSLatitude.
func exifSegment() []byte {
	le := binary.LittleEndian
	t := []byte("II*\x00\x08\x00\x00\x00")
	entry := func(tag, typ uint16, count, value uint32) []byte {
		e := make([]byte, 12)
		le.PutUint16(e, tag)
		le.PutUint16(e[2:], typ)
		le.PutUint32(e[4:], count)
		le.PutUint32(e[8:], value)
		return e
	}
	// IFD0 at 8: 2 entries (30 bytes); the GPS IFD at 38 (30 bytes); data at 68.
	t = append(t, 2, 0)
	t = append(t, entry(0x0112, 3, 1, 6)...)
	t = append(t, entry(0x8825, 4, 1, 38)...)
	t = append(t, 0, 0, 0, 0)
	t = append(t, 2, 0)
	t = append(t, entry(0x0001, 2, 2, uint32('N'))...)
	t = append(t, entry(0x0002, 5, 3, 68)...)
	t = append(t, 0, 0, 0, 0)
	t = append(t, GPSLatitude...)
	body := append([]byte("Exif\x00\x00"), t...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// TwoTone is a w x h picture, red on the left half and blue on the right.
func TwoTone(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// JPEGWithGPS is a 40 x 20 phone photo carrying orientation and GPS EXIF.
func JPEGWithGPS(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, TwoTone(40, 20), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	out := append([]byte{}, b[:2]...)
	out = append(out, exifSegment()...)
	return append(out, b[2:]...)
}

// PNG encodes img.
func PNG(t testing.TB, img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// HugePNG is a tiny PNG whose header claims 30000 x 30000 pixels (3.6 GB
// once decoded), its header checksum correct.
func HugePNG(t testing.TB) []byte {
	b := PNG(t, TwoTone(2, 2))
	binary.BigEndian.PutUint32(b[16:], 30000)
	binary.BigEndian.PutUint32(b[20:], 30000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// PDF is a minimal, inert PDF document.
const PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
