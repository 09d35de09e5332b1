package surveys

import (
	"strconv"
	"strings"
)

// maxSchoolKey is the longest a school's key may be, in bytes.
const maxSchoolKey = 64

// validSchoolKey reports whether k is a school's key: lower-case ASCII
// letters, digits and single hyphens, safe in an address and a file name.
func validSchoolKey(k string) bool {
	if k == "" || len(k) > maxSchoolKey || k[0] == '-' || k[len(k)-1] == '-' || strings.Contains(k, "--") {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// schoolKeyOf makes a key from a school's name: "St Mary's C of E
// Primary" becomes "st-marys-c-of-e-primary". A name with no Latin letters
// or digits gives "".
func schoolKeyOf(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "Mary's" is "marys", not "mary-s".
		default:
			hyphen = true
		}
	}
	k := b.String()
	if len(k) > maxSchoolKey-4 {
		k = strings.TrimRight(k[:maxSchoolKey-4], "-")
	}
	return k
}

// AssignSchoolKeys gives each school without a key one made from its name,
// unique among the schools. Settings saved before schools had keys get them
// the first time they are read, and keep them from the next save on.
func (s *Settings) AssignSchoolKeys() {
	taken := map[string]bool{}
	for _, sc := range s.Schools {
		if sc.Key != "" {
			taken[sc.Key] = true
		}
	}
	for i := range s.Schools {
		sc := &s.Schools[i]
		if sc.Key != "" {
			continue
		}
		base := schoolKeyOf(sc.Name)
		if base == "" {
			base = "school"
		}
		key := base
		for n := 2; taken[key]; n++ {
			key = base + "-" + strconv.Itoa(n)
		}
		sc.Key, taken[key] = key, true
	}
}

// School returns the school with the key, or nil.
func (s *Settings) School(key string) *School {
	for i := range s.Schools {
		if s.Schools[i].Key == key {
			return &s.Schools[i]
		}
	}
	return nil
}

// SchoolName is the name of the school with the key, or the key itself
// when the school is no longer in the settings.
func (s *Settings) SchoolName(key string) string {
	if sc := s.School(key); sc != nil {
		return sc.Name
	}
	return key
}
