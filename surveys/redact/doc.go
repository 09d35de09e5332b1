// Package redact proposes a redacted version of a young person's comment
// before an analyst approves it as a quote for a public report.
//
// It replaces names, phone numbers, email addresses, postcodes, street
// addresses, schools, places and social media handles with placeholders such
// as "[name]", and says what it replaced so that the page can show the
// analyst each change. Redacting a redacted text changes nothing.
//
// Redaction leans towards removing too much: a quote that loses a word is
// still a quote, while a quote that names a child can identify them. It is a
// proposal, not a guarantee: an analyst reads every quote before it is
// published, because the rules miss things, among them:
//
//   - names not in names.txt and not given away by context ("me and
//     Zeph went", lower-case "zeph"), and ambiguous names in lower case
//     without a cue ("grace is my sister");
//   - names in scripts other than Latin ("محمد"), and misspelt names;
//   - surnames on their own ("the Smiths"), nicknames made up on the spot;
//   - addresses without a house number in lower case ("on church road"),
//     house names, and places or schools the council has not listed whose
//     names have no school word ("I go to Bluecoat");
//   - numbers that are not UK numbers, phone numbers written in words, email
//     addresses written "jo at gmail dot com", handles without an "@";
//   - anything that identifies by description ("the only girl in care in
//     year 9 at my school").
//
// It also sometimes removes what it need not: a capitalised word that is
// also a name ("a good Mark"), or a thing's name after "called" ("a song
// called Rosa"; "an app called" and the like are recognised).
//
// Everything runs on the standard library, in time linear in the length of
// the text, and never panics, whatever the input.
package redact
