package api_test

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Reading the workspace's pages back in tests: one set of helpers for
// every staff page test.

// pageParse parses a page.
func pageParse(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// pageFind returns the first element under n, in document order, for
// which match is true, or nil.
func pageFind(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := pageFind(c, match); f != nil {
			return f
		}
	}
	return nil
}

// pageByID returns the element with the id, or nil.
func pageByID(doc *html.Node, id string) *html.Node {
	return pageFind(doc, func(n *html.Node) bool { return pageAttr(n, "id") == id })
}

// pageAttr returns an attribute's value, or "" (also for a nil node).
func pageAttr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// pageHas reports whether n has the attribute.
func pageHas(n *html.Node, key string) bool {
	if n == nil {
		return false
	}
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

// pageText returns the text under n with runs of white space made one
// space, as a person reads it.
func pageText(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
