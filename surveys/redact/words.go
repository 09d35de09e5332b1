package redact

// Small closed sets of English words that the rules read as context. They
// are part of the rules rather than data: changing one changes what a rule
// means.

// stopwords are function words, pronouns, common verbs and the everyday
// nouns that young people capitalise: never a name or part of one, so
// "Miss My Mum" and "Sarah Is" are not taken for "[name]".
var stopwords = setOf(`a an the and or but if so to of in on at by for from with without
	about as into onto off up down out over under than then that this these those there
	here when where why how what who whom which whose while because after before
	i im ive id ill me my mine myself you youre your yours u ur ya ye we us our ours
	they them their theirs he hes him his she shes her hers it its is am are was were
	be been being have has had do does did dont didnt doesnt cant cannot wont wouldnt
	shouldnt couldnt isnt arent wasnt werent not no yes yeah yea nah ok okay very really
	too also just only all any some every each more most much many lot lots can could
	would should must might shall got get gets go goes going went gone come came said
	says say told tell ask asked think thought know knew want wanted like love hate
	feel felt make made help helped need needs see saw let lets please thanks thank
	never always sometimes often still even ever again now today tonight tomorrow
	yesterday soon once well good bad great nice kind lovely rubbish ok boss sound
	mum mam mom mummy dad daddy nan nana nanna gran granny grandma grandad grandpa
	brother brothers sister sisters bro sis mate mates friend friends carer carers
	teacher teachers worker workers sw pa iro family everyone everybody someone somebody
	nobody anyone anybody people kids home school college work council god allah
	monday tuesday wednesday thursday friday saturday sunday january february march
	september october november december christmas easter eid diwali ramadan
	english maths science art music pe history geography year gcse gcses
	snapchat snap instagram insta tiktok facebook whatsapp youtube xbox playstation
	fortnite roblox minecraft fifa netflix google`)

// titles come before a surname. titlesAnyCase are titles in any case ("mr
// smith"); the others are everyday words in lower case ("I miss home").
var (
	titlesAnyCase = setOf(`mr mrs ms mx mister`)
	titlesCapital = setOf(`miss sir dr prof`)
)

// personWords come before a person's name: "my mate Will", "my sw jack".
var personWords = setOf(`mate friend pal bestie bff sw worker carer teacher brother bro
	sister sis cousin mum mam dad nan nana gran grandma grandad auntie aunty aunt uncle
	boyfriend girlfriend bf gf partner pa iro adviser advisor keyworker mentor boss`)

// namingWords come right before a name: "called Will", "named Hope".
var namingWords = setOf(`called named`)

// speechWords come right after a name: "Will said".
var speechWords = setOf(`said says told asked texted messaged rang shouted reckons`)

// thingWords before "called" mean a thing is being named, not a person:
// "an app called Wizz".
var thingWords = setOf(`it its thing game app show film programme place club group song
	book website site channel page account team shop series`)

// possessives come before "name": "my names Jay", "her name is Hope".
var possessives = setOf(`my his her their your`)

// subjectWords come before "will" or "may" as verbs: "I Will", "You May".
var subjectWords = setOf(`i you u we they he she it that this there who which what people
	everyone everybody someone somebody nobody things ill`)

// modalNext come after "will" or "may" as verbs: "Will Be", "May Not".
var modalNext = setOf(`be not have never always get go come do i you we they he she it also
	still just probably definitely need make help see try take give start stop feel know
	say tell ring call let`)

// timeBefore and timeAfter surround a month or season: "in May", "May half
// term".
var (
	timeBefore = setOf(`in of since until till til last next this every early late mid by
		during from before after the end start beginning through over each`)
	timeAfter = setOf(`half term holidays holiday hols time break camp exams`)
)

// placeBefore come before a place: "went to Paris".
var placeBefore = setOf(`to in from at near visit visited visiting around round`)
