package app_test

import (
	"errors"
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// TestMaterialType: the type stored is the one the extension names, and only when the first
// bytes are of it.
func TestMaterialType(t *testing.T) {
	zip := "PK\x03\x04\x14\x00\x00\x00"
	for _, c := range []struct {
		name, head, want string
	}{
		{"Folien.pdf", "%PDF-1.7\n", "application/pdf"},
		{"FOTO.JPG", "\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"},
		{"bild.png", "\x89PNG\r\n\x1a\n", "image/png"},
		{"bild.gif", "GIF89a", "image/gif"},
		{"bild.webp", "RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"},
		{"Protokoll.md", "# Protokoll\n", "text/markdown; charset=utf-8"},
		{"liste.csv", "name;ort\nAnna;Eisenach\n", "text/csv; charset=utf-8"},
		{"notiz.txt", "\xef\xbb\xbfHallo", "text/plain; charset=utf-8"},
		{"Bericht.docx", zip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"Tabelle.ods", zip, "application/vnd.oasis.opendocument.spreadsheet"},
		{"seite.html", "<html>", ""},
		{"seite.pdf", "<html><body>", ""},
		{"setup.exe", "MZ\x90\x00", ""},
		{"setup.docx", "MZ\x90\x00", ""},
		{"bild.png", "GIF89a", ""},
		{"bild.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">", ""},
		{"archiv.zip", zip, ""},
		{"ohne-endung", "%PDF-1.7", ""},
		{"utf16.txt", "\xfe\xff\x00H", ""},
	} {
		got, err := app.MaterialType(c.name, []byte(c.head))
		if c.want == "" {
			if !errors.Is(err, domain.ErrMaterialType) {
				t.Errorf("MaterialType(%q, %q) = %q, %v; want ErrMaterialType", c.name, c.head, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("MaterialType(%q, %q) = %q, %v; want %q", c.name, c.head, got, err, c.want)
		}
	}
}
