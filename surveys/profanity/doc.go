// Package profanity decides whether a young person's post in a live MADE
// session should wait for a facilitator before the room sees it on the
// projector. It holds a post back; it never changes or hides the words: the
// facilitator reads the post and shows it or not, and the reason says which
// listed words were found.
//
// # Where the list comes from
//
// The base list is the one maintained in github.com/TwiN/go-away (MIT
// licence): its DefaultProfanities and DefaultFalseNegatives. We chose it
// because it is a Go module kept up since 2021 with regular releases (v1.8.0,
// September 2025), tests and CI, used by other modules, and it adds nothing
// to our build: its only dependency, golang.org/x/text, is one we already
// have. A Go module is updated with `go get` and shows in go.sum, where a
// vendored list file would go stale unnoticed. We use its words only, not its
// matcher: go-away looks for words inside the whole text with the spaces
// taken out, which holds "Dickens", "hancock", "Essex", "assessment" and
// "this hit me" (the Scunthorpe problem), while this package compares whole
// words.
//
// Embedded files adjust the base list:
//
//   - uk.txt adds British swearing, insults and slurs the base list lacks
//     ("bellend", "knobhead", "minge", "tosser", "nonce") and common ways of
//     spelling round the list ("fcuk");
//   - skip.txt names words that are never held, even if the base list adds
//     them later: mild words ("bloody", "crap", "arse", "bugger"), words whose
//     everyday meaning is the common one ("balls", "nips", "naked") and words
//     young people use about themselves ("queer", "gay");
//   - anywhere.txt names the strongest words, held even inside a longer
//     word ("motherfucker", "bullshit");
//   - allow.txt lists real words that would otherwise match ("cumin",
//     "Scunthorpe", "pricked", "snigger").
//
// Where to draw the line follows the tiers of Ofcom's research into
// attitudes to offensive language in broadcasting (2016, 2021): the milder
// tier is not held, the medium tier and above is, and so are discriminatory
// words. A held post costs a facilitator a moment; a slur on the projector
// hurts a child in the room. The base list's words for sexual abuse ("rape",
// "incest") are held too: such a post should reach an adult before the
// room, though spotting a disclosure is the safeguarding rules' work
// (surveys/coder), not this package's.
//
// # How words are compared
//
// Text is brought to one form before it is compared: compatibility forms
// folded (fullwidth and mathematical letters), capitals, accents and
// zero-width characters dropped, Cyrillic and Greek look-alike letters in a
// Latin word read as Latin, and common leetspeak read as letters (4 and @ as
// a, 3 and € as e, 1, ! and | as i or as l, 0 as o, 5 and $ as s, 7 and + as
// t, 8 as b, 9 as g; v as u). Digits alone are a number, not leetspeak. A
// word then matches a listed term when it is the term, or the term with an
// ending ("fucking", "shitty", "dickhead", "wankers"); when it starts with a
// term of six letters or more ("bastardised"); when letters held down three
// times or more ("fuuuuck", "piiiisssss") are read once or twice; or, for the
// terms in anywhere.txt, when it contains one, doubled letters read once
// ("motherfucker", "fuuckwit"). An apostrophe ends a word ("who're" is not
// "whore"). Letters spelt out one at a time with spaces or dots between them
// ("f u c k", "a t w a t") and words broken by punctuation without a space
// ("sh-it") are put back together. Stars standing for letters ("f*ck",
// "b***h") match the listed forms with letters in their place, when there
// is at most one star more than letters.
//
// It misses things: a term split by a space into two longer parts ("fu
// ck"), words in other languages, rhymes and descriptions. It also holds a
// few innocent posts ("blue tits", "Dick" as a name, "hoeing the garden"):
// a facilitator shows those. TestDictionary lists every word of a British
// English dictionary that is held.
//
// # Limits
//
// Check reads at most MaxTextBytes of a text. A longer text is held
// whatever it says (Result.TooLong): posts are at most 500 characters, so
// anything longer did not come through the form. Check runs in time linear
// in the length of what it reads and never panics: some 15 µs for a post of
// 500 ordinary characters, and about 10 ms at worst for 8 KiB made to be
// slow.
//
// The package is pure: no I/O, nothing of HTTP or storage.
package profanity
