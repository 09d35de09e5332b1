package cluster

// voices is a made-up set of comments that fit no existing theme, in four
// clear groups and some noise. The id's prefix names the group; "x" is
// noise, comments about something no other comment mentions.
var voices = []Item{
	{"wifi-01", "The wifi in the hostel is so slow I can't do my homework"},
	{"wifi-02", "wi-fi at the hostel keeps cutting out every night"},
	{"wifi-03", "pls sort the wifi out in the hostel its rubbish"},
	{"wifi-04", "Can we get better WiFi in our rooms at the hostel?"},
	{"wifi-05", "no wifi signal upstairs in the hostel!!!"},
	{"wifi-06", "wifi password changes every week and staff wont tell us"},
	{"wifi-07", "the hostel wifi doesnt work after 10pm"},
	{"wifi-08", "I need the wifi for college work but it never connects"},
	{"wifi-09", "wifi in the hostel!!! 😡😡"},

	{"pet-01", "I really want a dog"},
	{"pet-02", "can we have a pet dog at the house please"},
	{"pet-03", "I miss my dog from my old home"},
	{"pet-04", "wish we were allowed pets like a cat or a dog"},
	{"pet-05", "Pets would make the house feel like a real home"},
	{"pet-06", "i want a puppy sooo bad, dogs are the best 🐶"},
	{"pet-07", "why are we not allowed any pets?"},
	{"pet-08", "my foster carers have a dog and I love walking him"},
	{"pet-09", "allowed to have pets?? even a hamster"},

	{"halal-01", "there is no halal food at the children's home"},
	{"halal-02", "I only eat halal meat and staff forget"},
	{"halal-03", "Halal food please, I keep having to eat just chips"},
	{"halal-04", "the home should buy halal meat from the butchers"},
	{"halal-05", "staff don't know what halal means, they gave me pork"},
	{"halal-06", "we need halal options on the menu at the children's home"},
	{"halal-07", "not enough halal food in the kitchen"},
	{"halal-08", "can the cook learn to make halal meals"},

	{"skate-01", "The new skate park is amazing!!"},
	{"skate-02", "love the new skatepark by the leisure centre"},
	{"skate-03", "can we have lights at the skate park so we can go in winter"},
	{"skate-04", "skate park needs a bigger bowl for scooters"},
	{"skate-05", "skating at the new park every weekend with my mates"},
	{"skate-06", "older kids take over the skate-park and push us off"},
	{"skate-07", "the skate park is the best thing the council did"},
	{"skate-08", "I want skateboard lessons at the skate park"},

	{"x-01", "my social worker keeps changing and I never know who it is"},
	{"x-02", "I want to see my little brother more often"},
	{"x-03", "the bus to school takes ages"},
	{"x-04", "more money for clothes"},
	{"x-05", "my bedroom is freezing in winter"},
	{"x-06", "I would like to learn to drive when I am 17"},
	{"x-07", "nobody listens at my review meetings"},
	{"x-08", "😂😂👍"},
	{"x-09", "idk"},
}
