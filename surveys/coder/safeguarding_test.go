package coder

import (
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

func TestDetectHardCases(t *testing.T) {
	t.Parallel()
	const (
		abuse        = surveys.RiskAbuse
		domestic     = surveys.RiskDomesticAbuse
		selfHarm     = surveys.RiskSelfHarm
		suicide      = surveys.RiskSuicide
		exploitation = surveys.RiskExploitation
		missing      = surveys.RiskMissing
		unsafeHome   = surveys.RiskUnsafeHome
		neglect      = surveys.RiskNeglect
		substance    = surveys.RiskSubstance
		bullying     = surveys.RiskBullying
	)
	tests := []struct {
		text string
		want surveys.RiskKind // "" for no flag; otherwise a kind that must be among Kinds
	}{
		// abuse
		{"my stepdad hits me when hes angry", abuse},
		{"he hurts me and says its my fault", abuse},
		{"my uncle touches me when no one is around", abuse},
		{"he said if i tell anyone ill get moved", abuse},
		{"she says if i tell my sw shell hurt me", abuse},
		{"he makes me keep secrets", abuse},
		{"they lock me in my room", abuse},
		{"my carer threatened to hit me", abuse},
		{"me foster dad battered me last nite", abuse},
		// domestic abuse
		{"my dad hits my mum", domestic},
		{"me mam n her fella are always fighting and screaming", domestic},
		{"mums boyfriend throws stuff when hes drunk", domestic},
		{"my boyfriend checks my phone and wont let me see my mates", domestic},
		// self harm
		{"i cut myself when i feel like this", selfHarm},
		{"been cutting again", selfHarm},
		{"i hurt myself to feel better", selfHarm},
		{"i used to self harm", selfHarm},
		{"i bang my head on the wall till it hurts", selfHarm},
		// suicide
		{"i want to die", suicide},
		{"i wanna kill myself", suicide},
		{"some days i just want to end it all", suicide},
		{"i dont want to be here anymore", suicide},
		{"everyone would be better off without me", suicide},
		{"i keep thinking about suicide", suicide},
		{"i wish i was dead", suicide},
		{"i want to go to sleep and never wake up", suicide},
		{"i want to dieeee", suicide},
		{"i want to kil myself", suicide},
		{"been thinking about sucide", suicide},
		{"chcę umrzeć", suicide},
		// exploitation
		{"older boys give me money and weed to drop stuff off", exploitation},
		{"some men on snapchat keep asking me for pics", exploitation},
		{"a guy online asked me to send nudes", exploitation},
		{"i got asked to do county lines", exploitation},
		{"my boyfriend is 22 and buys me stuff", exploitation},
		{"they make me run a parcel to town", exploitation},
		{"a lad i met on insta wants me to meet him on my own", exploitation},
		// missing
		{"i ran away last night", missing},
		{"i keep running off from my placement", missing},
		{"stayed out all night and nobody came looking", missing},
		{"i dont know where ill sleep tonight", missing},
		{"i got kicked out and i have nowhere to stay", missing},
		{"i didnt go back to my placement for 2 nights", missing},
		// unsafe at home
		{"i dont feel safe at home", unsafeHome},
		{"i don't feel safe at my placement", unsafeHome},
		{"im scared to go home", unsafeHome},
		{"i feel unsafe in my house", unsafeHome},
		// neglect
		{"theres no food in the house", neglect},
		{"im always hungry because nobody feeds us", neglect},
		{"left on my own all weekend", neglect},
		{"my clothes are always dirty", neglect},
		// substance
		{"i drink every weekend in the park", substance},
		{"i smoke weed every day", substance},
		{"someone gives me alcohol", substance},
		{"i get drunk most weekends", substance},
		// bullying
		{"i get bullied every day at school", bullying},
		{"they keep threatening me online", bullying},
		{"some lads beat me up after school", bullying},
		{"people send me horrible messages on snapchat", bullying},
		{"someone made a fake account of me", bullying},

		// hyperbole, idiom and negation: not disclosures
		{"my teacher is killing me with homework", ""},
		{"this maths is killing me", ""},
		{"i could kill my brother lol", ""},
		{"dying of laughter at the MADE session", ""},
		{"we were dying laughing", ""},
		{"the trip was dead good", ""},
		{"school is dead boring", ""},
		{"nobody hits anyone at my house", ""},
		{"no one hurts me here", ""},
		{"nobody has ever hurt me at this house", ""},
		{"i dont tell anyone my password", ""},
		{"the lads on my estate are on drugs", ""},
		{"i feel safe", ""},
		{"i feel safe at home now", ""},
		{"im not scared to go home anymore", ""},
		{"i dont want to die, i want to be a nurse", ""},
		{"im not being bullied anymore", ""},
		{"i ran off with the ball in PE", ""},
		{"cutting my hair short", ""},
		{"id kill for a pizza", ""},
		{"my tooth is killing me", ""},
		{"i drink loads of water", ""},
		{"we got battered 5-0 at football", ""},
		{"there is some bullying at school but the teachers sort it", ""},
		{"the drugs talk at school was boring", ""},
		{"i get hungry before dinner", ""},
		{"my carers are always there for me", ""},
		{"i want to go home for christmas", ""},
		{"the buses home are always late", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			got := Detect(tc.text)
			if tc.want == "" {
				if got.Flag {
					t.Errorf("Detect(%q) flagged %v on %q, want no flag", tc.text, got.Kinds, got.Evidence)
				}
				return
			}
			if !got.Flag || !slices.Contains(got.Kinds, tc.want) {
				t.Errorf("Detect(%q) = %v %v, want a flag of kind %s", tc.text, got.Flag, got.Kinds, tc.want)
			}
			checkRisk(t, tc.text, got)
		})
	}
}

// checkRisk checks the shape every flag must have: kinds sorted and
// known, evidence quoted from the text as written.
func checkRisk(t testing.TB, text string, r surveys.Risk) {
	t.Helper()
	if !slices.IsSorted(r.Kinds) {
		t.Errorf("kinds %v are not sorted", r.Kinds)
	}
	for _, k := range r.Kinds {
		if !slices.Contains(surveys.RiskKinds, k) {
			t.Errorf("kind %q is not a surveys.RiskKind", k)
		}
	}
	if r.Flag && len(r.Evidence) == 0 {
		t.Errorf("flag without evidence")
	}
	for _, e := range r.Evidence {
		if e == "" || !strings.Contains(strings.ToValidUTF8(text, " "), e) {
			t.Errorf("evidence %q is not words of %q", e, text)
		}
	}
}

func TestDetectQuotesOriginalWords(t *testing.T) {
	t.Parallel()
	got := Detect("Sometimes I Want To DIE!!! honestly")
	if !got.Flag || !slices.Equal(got.Evidence, []string{"Want To DIE"}) {
		t.Errorf("evidence = %q, want the words as written", got.Evidence)
	}
}
