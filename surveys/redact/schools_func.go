package redact

// ForSchools returns a function that redacts a text with the borough's
// schools' names as well as the built-in rules: what the areas page gives
// surveys.Councils as its Redactor.
func ForSchools(schools []string) (func(text string) string, error) {
	r, err := New(Places{Schools: schools})
	if err != nil {
		return nil, err
	}
	return func(text string) string {
		out, _ := r.Redact(text)
		return out
	}, nil
}
