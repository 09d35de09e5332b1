// Package surveys is Heard's domain: survey definitions, the rules that decide
// which questions a young person sees, the checking of their answers,
// anonymous responses, pre-aggregated tallies, suppression of small numbers,
// staff accounts and the interfaces that storage implements.
//
// It imports nothing outside the standard library (a test keeps it that way),
// so that the rules of the product can be read and tested on their own,
// without HTTP or a database.
package surveys
