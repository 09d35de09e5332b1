// Package exports writes Heard's printable and downloadable files: PDFs
// made with gofpdf (the only package that imports it), with fonts embedded
// so that any language prints, and other exports. Every export writes to an
// io.Writer and is deterministic for a fixed input, so tests can parse it
// back and compare bytes.
package exports
