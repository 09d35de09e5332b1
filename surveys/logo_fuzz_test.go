package surveys_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// FuzzCleanLogo checks that CleanLogo never panics; that it fails only with
// EINVALID and a message for the logo field; and that a logo it returns is
// cleaned again to the same bytes. A cleaned SVG must be well-formed XML
// with an svg root in the SVG namespace, with no script element, no
// attribute whose name starts with "on", no link that leaves the file and no
// attribute value with "javascript:". Text may still say "javascript:": in a
// <text> or <title> it is only words.
func FuzzCleanLogo(f *testing.F) {
	for _, tt := range pngCleanTests(f) {
		f.Add(tt.data)
	}
	f.Add(pngHeader(5000, 10))
	f.Add(pngHeader(10, 10))
	f.Add([]byte("GIF89a"))
	f.Add([]byte("\xff\xd8\xff\xe0"))
	f.Add([]byte(`<!DOCTYPE svg [<!ENTITY a "b">]>` + svgOpen + `><text>&a;</text></svg>`))
	f.Add([]byte(`<html xmlns="http://www.w3.org/1999/xhtml"/>`))
	f.Add([]byte(svgOpen + `><a href="javascript:alert(1)"><text>x</text></a><use xlink:href="#a" xmlns:xlink="http://www.w3.org/1999/xlink"/></svg>`))
	for _, tt := range svgCleanTests {
		if len(tt.in) < 4<<10 {
			f.Add([]byte(tt.in))
		}
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		logo, err := surveys.CleanLogo(data)
		if err != nil {
			if logo != nil {
				t.Fatal("CleanLogo returned a logo with an error")
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("error code = %q (%v); want %q", code, err, surveys.EINVALID)
			}
			if surveys.ErrorMessage(err) == "" || surveys.ErrorFields(err)["logo"] == "" {
				t.Fatalf("error %v has no message for the logo field", err)
			}
			return
		}
		if len(logo.Data) > surveys.MaxLogoBytes {
			t.Fatalf("cleaned logo is %d bytes; the most is %d", len(logo.Data), surveys.MaxLogoBytes)
		}
		again, err := surveys.CleanLogo(logo.Data)
		if err != nil {
			t.Fatalf("CleanLogo of its own output: %v\n%q", err, logo.Data)
		}
		if again.ContentType != logo.ContentType || !bytes.Equal(again.Data, logo.Data) {
			t.Fatalf("cleaning again changed the logo:\n%q\n%q", logo.Data, again.Data)
		}
		switch logo.ContentType {
		case "image/png":
		case "image/svg+xml":
			checkCleanSVG(t, logo.Data)
		default:
			t.Fatalf("ContentType = %q", logo.ContentType)
		}
	})
}

// checkCleanSVG reads a cleaned SVG token by token and fails on anything
// that could run script or load another file.
func checkCleanSVG(t *testing.T, data []byte) {
	t.Helper()
	if bytes.Contains(bytes.ToLower(data), []byte("<script")) {
		t.Fatalf("cleaned SVG contains <script:\n%q", data)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("cleaned SVG is not well-formed: %v\n%q", err, data)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 && tok.Name != (xml.Name{Space: "http://www.w3.org/2000/svg", Local: "svg"}) {
				t.Fatalf("root is %v:\n%q", tok.Name, data)
			}
			depth++
			if name := strings.ToLower(tok.Name.Local); name == "script" || name == "foreignobject" || name == "a" ||
				name == "image" || name == "style" || strings.HasPrefix(name, "animate") || name == "set" {
				t.Fatalf("cleaned SVG has a %s element:\n%q", tok.Name.Local, data)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Fatalf("cleaned SVG has the attribute %s:\n%q", a.Name.Local, data)
				}
				if a.Name.Local == "style" {
					t.Fatalf("cleaned SVG has a style attribute:\n%q", data)
				}
				if strings.Contains(strings.ToLower(a.Value), "javascript:") {
					t.Fatalf("cleaned SVG has javascript: in %s=%q:\n%q", a.Name.Local, a.Value, data)
				}
				if v := strings.ToLower(a.Value); strings.Contains(v, "url(") && !strings.HasPrefix(v, "url(#") {
					t.Fatalf("cleaned SVG refers out of the file: %s=%q:\n%q", a.Name.Local, a.Value, data)
				}
				if a.Name.Local == "href" && !strings.HasPrefix(a.Value, "#") {
					t.Fatalf("cleaned SVG links out of the file: %q:\n%q", a.Value, data)
				}
			}
		case xml.EndElement:
			depth--
		case xml.Directive, xml.ProcInst, xml.Comment:
			t.Fatalf("cleaned SVG has %T %q:\n%q", tok, tok, data)
		}
	}
}
