/* analyze.c -- normaliser, tokeniser, phrase merger, synonym map and stemmer
 * shared by the index and the questions. The word lists are small and
 * searched with bsearch (sorted once, on first use). */
#include "analyze.h"

#include <stdlib.h>
#include <string.h>
#include <threads.h>

#define WORDS_MAX 512 /* words one call looks at */

/* ---- normalising ---- */

static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void
put(char *out, size_t cap, size_t *n, char c)
{
	if (*n + 1 >= cap)
		return;
	/* one space between words, none at the start */
	if (c == ' ' && (*n == 0 || out[*n - 1] == ' '))
		return;
	out[(*n)++] = c;
}

/* Handles a Slack "<...>" at in[i] (in[i] == '<'); returns bytes consumed,
 * or 0 if it is not one. Mentions (<@U1>, <!here>) and channel links
 * (<#C1|name>) say nothing about the question and are dropped; a link keeps
 * its label, and a bare link is dropped. */
static size_t
slack_markup(const char *in, size_t len, size_t i, char *out, size_t cap, size_t *n)
{
	size_t end = i + 1, bar = 0;

	while (end < len && end - i < 512 && in[end] != '>' && in[end] != '<' && in[end] != '\n') {
		if (in[end] == '|' && bar == 0)
			bar = end;
		end++;
	}
	if (end >= len || in[end] != '>')
		return 0;
	if (in[i + 1] != '@' && in[i + 1] != '!' && in[i + 1] != '#' && bar == 0 &&
	    strncmp(in + i + 1, "http", end - i - 1 < 4 ? end - i - 1 : 4) != 0 &&
	    strncmp(in + i + 1, "mailto:", end - i - 1 < 7 ? end - i - 1 : 7) != 0)
		return 0; /* "<some words>": not markup, keep the words */
	put(out, cap, n, ' ');
	if (bar != 0 && in[i + 1] != '@' && in[i + 1] != '#' && in[i + 1] != '!') {
		for (size_t k = bar + 1; k < end; k++) {
			unsigned char c = (unsigned char)in[k];
			put(out, cap, n, is_alnum(c) ? (char)(c | (c >= 'A' && c <= 'Z' ? 0x20 : 0)) : ' ');
		}
		put(out, cap, n, ' ');
	}
	return end - i + 1;
}

size_t
analyze_normalize(const char *in, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return 0;
	if (len > AN_TEXT_MAX)
		len = AN_TEXT_MAX;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)in[i];
		if (c == '<') {
			size_t used = slack_markup(in, len, i, out, cap, &n);
			if (used) {
				i += used;
				continue;
			}
			put(out, cap, &n, ' ');
			i++;
		} else if (c == '&') {
			/* Slack escapes &, < and > as HTML entities */
			size_t k = i + 1;
			while (k < len && k - i < 6 && is_alnum((unsigned char)in[k]))
				k++;
			put(out, cap, &n, ' ');
			i = k < len && in[k] == ';' ? k + 1 : i + 1;
		} else if (c == 0xE2 && i + 2 < len && (unsigned char)in[i + 1] == 0x80 &&
		           ((unsigned char)in[i + 2] == 0x98 || (unsigned char)in[i + 2] == 0x99)) {
			put(out, cap, &n, '\''); /* U+2018, U+2019: curly apostrophes */
			i += 3;
		} else if (c >= 0x80) {
			/* any other non-ASCII (emoji, curly double quotes, invalid bytes):
			 * a separator; skip a whole well-formed sequence at once */
			size_t k = i + 1;
			if (c >= 0xC0)
				while (k < len && k - i < 4 && ((unsigned char)in[k] & 0xC0) == 0x80)
					k++;
			put(out, cap, &n, ' ');
			i = k;
		} else if (c == '\'') {
			put(out, cap, &n, '\'');
			i++;
		} else if (is_alnum(c)) {
			put(out, cap, &n, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
			i++;
		} else {
			put(out, cap, &n, ' ');
			i++;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n;
}

/* ---- word tables ---- */

/* Stop words and question filler: never search terms. */
static const char *stop_words[] = {
	"a", "about", "actually", "after", "all", "also", "am", "an", "and", "any", "anybody",
	"anyone", "anyway", "best", "better", "folks", "gal", "gonna", "good", "great", "guess",
	"guy", "guys", "happen", "happened", "happens", "keep", "keeps", "kinda", "look",
	"looking", "looks", "rely", "relies", "before", "during", "honestly", "meaning", "while", "focus", "focused", "focuses", "focusing", "mainly", "mostly", "overall", "primarily", "idea", "ideas", "day", "days", "plz", "r", "sorta", "think", "thoughts", "thx", "ur",
	"wanna", "wat", "wht",
	"are", "as", "at", "basically", "be", "been", "being", "but", "by", "can", "cant",
	"could", "couldnt", "did", "didnt", "do", "does", "doesnt", "doing", "dont",
	"duties", "duty", "each", "else", "ensure", "ensures", "ensuring", "even", "exactly", "fine", "for", "from", "generally", "get",
	"gets", "getting", "go", "goes", "going", "got", "had", "handle", "handled", "handles",
	"handling", "has", "have", "having", "he", "hello", "her", "here", "hers", "hey", "hi",
	"him", "his", "how", "i", "id", "if", "im", "in", "into", "is", "isnt", "it", "its",
	"ive", "job", "jobs", "just", "kind", "know", "let", "lets", "like", "ll", "lot",
	"main", "make", "makes", "making", "may", "me", "mean", "means", "might", "mine", "more",
	"most", "much", "must", "my", "normally", "not", "of", "ok", "okay", "on", "or",
	"other", "our", "ours", "out", "please", "pls", "re", "really", "responsibilities",
	"responsibility", "responsible", "role", "roles", "s", "shall", "she", "should",
	"shouldnt", "so", "some", "somebody", "someone", "sort", "still", "stuff", "supposed",
	"sure", "t", "take", "takes", "tell", "than", "thank", "thanks", "that", "thats", "the",
	"their", "theirs", "them", "then", "there", "these", "they", "thing", "things", "this",
	"those", "to", "too", "two", "type", "typically", "u", "up", "us", "usually", "ve", "very", "want",
	"wants", "was", "way", "ways", "we", "were", "what", "whats", "when", "where", "which",
	"who", "whom", "whos", "whose", "why", "will", "with", "wont", "would", "wouldnt", "ya",
	"you", "your", "youre", "yours",
};

/* Everyday English words (not domain terms). When the knowledge base has
 * never seen one, it weighs little in the coverage check: "who's meant to
 * figure out ..." is not out of scope because of "figure". Domain words we
 * lack (velocity, pricing, kubernetes) keep their full weight. */
static const char *common_words[] = {
	"about", "above", "absolutely", "across", "actual", "add", "added", "adding", "advice",
	"again", "ago", "ahead", "allow", "almost", "alone", "along", "already", "alright",
	"although", "always", "amazing", "among", "another", "answer", "anything", "anywhere",
	"apparently", "appreciate", "approach", "around", "ask", "asked", "asking", "asks", "aware",
	"away", "awesome", "back", "bad", "basic", "became", "because", "before", "begin", "behind",
	"believe", "besides", "between", "beyond", "bit", "both", "bother", "break", "bring", "broad",
	"brought", "bunch", "busy", "call", "called", "calls", "came", "care", "caring", "carry",
	"case", "catch", "cause", "certain", "certainly", "chance", "change", "changed", "check",
	"choose", "clear", "clearly", "close", "come", "comes", "coming", "common", "completely",
	"confused", "consider", "constantly", "context", "continue", "cool", "correct", "couple",
	"course", "crazy", "curious", "current", "currently", "deal", "dealing", "deals", "decent",
	"definitely", "describe", "detail", "different", "difficult", "doubt", "down", "during",
	"earlier", "early", "easy", "either", "end", "ended", "ending", "enough", "entire",
	"especially", "etc", "even", "ever", "every", "everybody", "everyone", "everything",
	"example", "except", "expect", "experience", "explain", "fact", "fair", "fairly", "fall",
	"far", "fast", "feel", "feeling", "felt", "few", "figure", "figured", "figuring", "finally",
	"find", "finds", "first", "follow", "following", "forget", "forward", "found", "friend",
	"full", "fun", "further", "future", "gave", "give", "given", "gives", "giving", "glad",
	"great", "grow", "guess", "half", "hand", "hands", "happy", "hard", "hear", "heard", "help",
	"helps", "hold", "holding", "holds", "honest", "honestly", "hope", "hour", "hours", "huh",
	"idea", "imagine", "important", "instead", "interested", "interesting", "issue", "keep",
	"kept", "kinda", "knew", "known", "last", "later", "least", "leave", "left", "less", "let",
	"level", "life", "light", "likely", "line", "list", "literally", "live", "long", "lose",
	"lost", "loud", "love", "made", "mainly", "matter", "maybe", "meant", "mess", "middle",
	"mind", "minute", "mistake", "moment", "month", "months", "move", "moved", "moves", "moving",
	"myself", "near", "nearly", "need", "needed", "needs", "never", "new", "next", "nice", "none",
	"normal", "now", "number", "obviously", "often", "old", "once", "one", "only", "open",
	"opinion", "own", "part", "particular", "past", "pay", "perhaps", "pick", "picked", "piece",
	"place", "plain", "point", "possible", "pretty", "probably", "problem", "proper", "properly",
	"pull", "pulled", "pulling", "push", "put", "question", "questions", "quick", "quickly",
	"quite", "rather", "reach", "read", "ready", "real", "reason", "recently", "remember", "rest",
	"right", "rough", "round", "run", "running", "said", "same", "saw", "say", "saying", "says",
	"second", "seem", "seems", "seen", "send", "sense", "sentence", "serious", "set", "short",
	"simple", "simply", "since", "single", "sit", "situation", "slightly", "small", "somehow",
	"something", "sometimes", "somewhat", "somewhere", "soon", "sorry", "sound", "sounds",
	"speaking", "spend", "spending", "spent", "stand", "start", "started", "state", "stay",
	"step", "stop", "story", "straight", "strange", "strong", "suddenly", "suggest", "suppose",
	"surely", "tell", "tend", "term", "terms", "thing", "think", "third", "though", "thought",
	"through", "throw", "time", "tiny", "today", "together", "told", "tomorrow", "took", "top",
	"totally", "tough", "tried", "true", "truly", "try", "trying", "turn", "turned", "understand",
	"unless", "unsure", "until", "upon", "use", "used", "useful", "uses", "using", "usual",
	"various", "wait", "waiting", "wanted", "watch", "week", "weeks", "weird", "well", "went",
	"whatever", "whether", "while", "whole", "wish", "within", "wonder", "wondering", "word",
	"words", "work", "worked", "working", "works", "world", "worry", "worth", "wrong", "year",
	"years", "yes", "yesterday", "yet", "young",
};

/* Exact words (before stemming) and their canonical term. */
struct word_map {
	const char *word;
	const char *term;
};

static struct word_map exact_words[] = {
	/* concept families: watching the market, time horizon, authority, ownership */
	{"monitor", "observe"}, {"monitors", "observe"}, {"monitoring", "observe"},
	{"watch", "observe"}, {"watches", "observe"}, {"watching", "observe"},
	{"observe", "observe"}, {"observes", "observe"}, {"observing", "observe"}, {"tabs", "observe"},
	{"future", "longterm"}, {"years", "longterm"}, {"horizon", "longterm"},
	{"heading", "direction"}, {"headed", "direction"}, {"direction", "direction"},
	{"directions", "direction"}, {"boss", "executive"}, {"bosses", "executive"},
	{"vp", "executive"}, {"vps", "executive"}, {"rival", "competition"}, {"rivals", "competition"},
	{"hold", "own"}, {"holds", "own"}, {"holding", "own"},
	{"afford", "budget"}, {"ticket", "story"}, {"tickets", "story"}, {"enablement", "sale"},
	{"founder", "startup"}, {"founders", "startup"}, {"techy", "technical"},
	{"assist", "support"}, {"assisted", "support"}, {"assisting", "support"},
	{"assists", "support"}, {"bad", "risk"}, {"chat", "talk"}, {"chats", "talk"}, {"chatting", "talk"},
	{"date", "timeline"}, {"dates", "timeline"}, {"diff", "differ"}, {"downside", "risk"},
	{"downsides", "risk"}, {"drawback", "risk"}, {"drawbacks", "risk"}, {"enjoys", "enjoy"},
	{"learn", "understand"}, {"learning", "understand"}, {"learns", "understand"}, {"love", "enjoy"},
	{"loves", "enjoy"}, {"pitfall", "risk"}, {"pitfalls", "risk"}, {"risk", "risk"}, {"risks", "risk"},
	{"risky", "risk"}, {"see", "visible"}, {"seen", "visible"}, {"speak", "talk"}, {"speaking", "talk"},
	{"speaks", "talk"}, {"talk", "talk"}, {"talking", "talk"}, {"talks", "talk"}, {"answers", "answer"}, {"answered", "answer"},
	{"b2b", "customer"}, {"b2c", "customer"}, {"became", "career"}, {"become", "career"},
	{"becomes", "career"}, {"becoming", "career"}, {"big", "large"}, {"bigger", "large"},
	{"biggest", "large"}, {"block", "unblock"}, {"blocked", "unblock"}, {"blocker", "unblock"},
	{"blockers", "unblock"}, {"blocking", "unblock"}, {"budget", "budget"}, {"budgets", "budget"},
	{"buyer", "customer"}, {"buyers", "customer"}, {"careers", "career"},
	{"ceremonies", "event"}, {"ceremony", "event"}, {"charge", "own"}, {"client", "customer"},
	{"clients", "customer"}, {"company", "org"}, {"companies", "org"}, {"cost", "finance"},
	{"costs", "finance"}, {"criteria", "acceptance"}, {"criterion", "acceptance"},
	{"daily", "daily"}, {"deadline", "timeline"}, {"deadlines", "timeline"}, {"delay", "delay"},
	{"delayed", "delay"}, {"delays", "delay"}, {"demo", "present"}, {"demos", "present"},
	{"dev", "engineer"}, {"developer", "engineer"}, {"developers", "engineer"},
	{"devs", "engineer"}, {"devops", "devops"}, {"enterprise", "large"}, {"enterprises", "large"},
	{"events", "event"}, {"exec", "executive"}, {"execs", "executive"}, {"external", "outward"},
	{"externally", "outward"}, {"firm", "org"}, {"firms", "org"}, {"groom", "refine"},
	{"grooming", "refine"}, {"hire", "hire"}, {"hired", "hire"}, {"hires", "hire"},
	{"hiring", "hire"}, {"huge", "large"}, {"inside", "inward"}, {"kpi", "metric"},
	{"kpis", "metric"}, {"lacking", "without"}, {"lacks", "without"}, {"larger", "large"},
	{"largest", "large"}, {"lots", "multiple"}, {"many", "multiple"}, {"multiple", "multiple"},
	{"numerous", "multiple"}, {"several", "multiple"}, {"salary", "salary"}, {"late", "delay"}, {"launch", "release"}, {"launched", "release"},
	{"launches", "release"}, {"launching", "release"}, {"lead", "lead"}, {"leads", "lead"},
	{"little", "small"}, {"marketing", "promote"}, {"markets", "market"},
	{"marketplace", "market"}, {"meet", "meet"}, {"meeting", "meet"}, {"meetings", "meet"},
	{"meets", "meet"}, {"metrics", "metric"}, {"missing", "without"}, {"money", "finance"},
	{"no", "without"}, {"nobody", "without"}, {"none", "without"}, {"okr", "metric"},
	{"okrs", "metric"}, {"order", "priority"}, {"ordered", "priority"}, {"ordering", "priority"},
	{"orders", "priority"}, {"org", "org"}, {"orgs", "org"}, {"outside", "outward"},
	{"outwards", "outward"}, {"owned", "own"}, {"owner", "own"}, {"owners", "own"},
	{"ownership", "own"}, {"owning", "own"}, {"owns", "own"}, {"path", "career"},
	{"paths", "career"}, {"pbis", "pbi"}, {"people", "person"}, {"persons", "person"},
	{"pms", "pm"}, {"pos", "po"}, {"rank", "priority"}, {"ranked", "priority"},
	{"ranking", "priority"}, {"ranks", "priority"}, {"release", "release"},
	{"released", "release"}, {"releases", "release"}, {"releasing", "release"}, {"retro", "retrospective"},
	{"retros", "retrospective"}, {"sales", "sale"}, {"sell", "sale"}, {"selling", "sale"},
	{"sells", "sale"}, {"ship", "release"}, {"shipped", "release"}, {"shipping", "release"},
	{"ships", "release"}, {"slip", "delay"}, {"slipped", "delay"}, {"slips", "delay"},
	{"slipping", "delay"}, {"small", "small"}, {"smaller", "small"}, {"sold", "sale"},
	{"startup", "startup"}, {"startups", "startup"}, {"status", "progress"}, {"stuck", "unblock"},
	{"studies", "research"}, {"study", "research"}, {"studying", "research"},
	{"synonymous", "same"}, {"tech", "technical"}, {"techie", "technical"}, {"tiny", "small"},
	{"update", "progress"}, {"updates", "progress"}, {"users", "user"}, {"ux", "design"},
	{"versus", "differ"}, {"vs", "differ"}, {"without", "without"}, {"wrote", "write"},
	{"written", "write"}, {"writes", "write"}, {"writing", "write"},
};

/* Word beginnings that fold a whole family onto one term. */
static const struct word_map prefix_words[] = {
	{"accomplish", "achieve"}, {"accountab", "accountable"}, {"achiev", "achieve"}, {"advertis", "promote"}, {"approv", "decide"}, {"analys", "analyze"}, {"outsourc", "delegate"},
	{"analyz", "analyze"}, {"clarif", "clarify"}, {"collaborat", "collaborate"},
	{"communicat", "communicate"}, {"compar", "differ"}, {"competit", "competition"},
	{"conferenc", "conference"}, {"convinc", "convince"}, {"cooperat", "collaborate"},
	{"custom", "customer"}, {"decid", "decide"}, {"decision", "decide"}, {"defin", "define"},
	{"delegat", "delegate"}, {"design", "design"}, {"differ", "differ"},
	{"distinct", "differ"}, {"distinguish", "differ"}, {"engineer", "engineer"},
	{"executiv", "executive"}, {"expectation", "expectation"}, {"financ", "finance"},
	{"identical", "same"}, {"increment", "increment"}, {"interchangeab", "same"},
	{"interna", "inward"}, {"inward", "inward"}, {"leader", "executive"},
	{"lifecycle", "lifecycle"}, {"maximi", "maximize"}, {"measur", "metric"},
	{"opportunit", "opportunity"}, {"origin", "origin"}, {"organis", "org"}, {"organiz", "org"},
	{"overlap", "overlap"}, {"persua", "convince"}, {"present", "present"},
	{"priorit", "priority"}, {"promot", "promote"}, {"refin", "refine"},
	{"requir", "requirement"}, {"research", "research"}, {"retrospect", "retrospective"},
	{"scal", "scale"}, {"sequenc", "priority"}, {"separat", "differ"}, {"schedul", "timeline"}, {"similar", "overlap"},
	{"stakehold", "stakeholder"}, {"strateg", "strategy"}, {"success", "success"},
	{"succeed", "success"}, {"synchron", "sync"}, {"sync", "sync"}, {"synonym", "same"},
	{"tactic", "tactic"}, {"technic", "technical"}, {"technolog", "technical"},
	{"timeline", "timeline"}, {"transparen", "transparent"}, {"valu", "value"},
	{"visib", "visible"}, {"vision", "vision"},
};

/* Phrases merged into one term before anything else; a pattern word ending
 * in '*' matches any word it begins. */
struct phrase {
	const char *w[4]; /* NULL-terminated */
	const char *term;
};

static const struct phrase phrases[] = {
	{{"product", "manag*", NULL}, "pm"},
	{{"prod", "manag*", NULL}, "pm"},
	{{"product", "mgr*", NULL}, "pm"},
	/* filler phrases: "" makes them stop words */
	{{"in", "a", "nutshell", NULL}, ""},
	{{"in", "short", NULL}, ""},
	{{"in", "one", "sentence", NULL}, ""},
	{{"in", "brief", NULL}, ""},
	{{"tl", "dr", NULL}, ""},
	{{"tldr", NULL}, ""},
	{{"quick", "q", NULL}, ""},
	{{"quick", "question", NULL}, ""},
	{{"on", "stage", NULL}, "present"},
	{{"prod", "mgr*", NULL}, "pm"},
	{{"definition", "of", "done", NULL}, "dod"},
	{{"on", "the", "hook", NULL}, "accountable"},
	{{"stepping", "stone*", NULL}, "career"},
	{{"long", "run", NULL}, "longterm"},
	{{"short", "run", NULL}, "shortterm"},
	{{"someone", "else", NULL}, "delegate"},
	{{"somebody", "else", NULL}, "delegate"},
	{{"hand", "off", NULL}, "delegate"},
	{{"people", "person", NULL}, "outward"},
	{{"product", "own*", NULL}, "po"},
	{{"project", "manag*", NULL}, "projectmanager"},
	{{"program", "manag*", NULL}, "projectmanager"},
	{{"programme", "manag*", NULL}, "projectmanager"},
	{{"scrum", "master*", NULL}, "scrummaster"},
	{{"story", "point*", NULL}, "storypoint"},
	{{"product", "backlog", "item*", NULL}, "pbi"},
	{{"backlog", "item*", NULL}, "pbi"},
	{{"user", "stor*", NULL}, "story"},
	{{"acceptance", "criteri*", NULL}, "acceptance"},
	{{"long", "term", NULL}, "longterm"},
	{{"long", "range", NULL}, "longterm"},
	{{"short", "term", NULL}, "shortterm"},
	{{"chief", "product", "officer*", NULL}, "cpo"},
	{{"chief", "technology", "officer*", NULL}, "cto"},
	{{"chief", "technical", "officer*", NULL}, "cto"},
	{{"chief", "executive", "officer*", NULL}, "ceo"},
	{{"start", "up*", NULL}, "startup"},
	{{"road", "map*", NULL}, "roadmap"},
	{{"day", "to", "day", NULL}, "daily"},
	{{"every", "day", NULL}, "daily"},
	{{"dev", "ops", NULL}, "devops"},
	{{"c", "level", NULL}, "executive"},
	{{"c", "suite", NULL}, "executive"},
	{{"life", "cycle*", NULL}, "lifecycle"},
	{{"development", "team*", NULL}, "engineer"},
	{{"dev", "team*", NULL}, "engineer"},
	{{"how", "long", NULL}, "quantity"},
	{{"how", "many", NULL}, "quantity"},
	{{"how", "much", NULL}, "quantity"},
	{{"how", "often", NULL}, "quantity"},
	{{"look*", "after", NULL}, "own"},
	{{"take*", "care", "of", NULL}, "own"},
	{{"took", "care", "of", NULL}, "own"},
	{{"in", "the", "loop", NULL}, "inform"},
	{{"each", "other", NULL}, "together"},
	{{"same", "time", NULL}, "combine"},
	{{"at", "once", NULL}, "combine"},
	{{"go", "to", "person", NULL}, "goto"},
	{{"go", "to", "guy", NULL}, "goto"},
	{{"go", "to", "girl", NULL}, "goto"},
	{{"same", "person", NULL}, "combine"},
	{{"same", "guy", NULL}, "combine"},
	{{"same", "individual", NULL}, "combine"},
	{{"same", "people", NULL}, "combine"},
	{{"come*", "from", NULL}, "origin"},
	{{"came", "from", NULL}, "origin"},
	{{"i", "like", NULL}, "enjoy"},
	{{"i", "love", NULL}, "enjoy"},
	{{"i", "enjoy", NULL}, "enjoy"},
	{{"i", "prefer", NULL}, "enjoy"},
	{{"im", "into", NULL}, "enjoy"},
	{{"i", "am", "into", NULL}, "enjoy"},
	{{"in", "common", NULL}, "overlap"},
	{{"point", "of", "contact", NULL}, "contact"},
	{{"go", "to", "market", NULL}, "promote"},
	{{"figure*", "out", NULL}, "decide"},
	{{"map*", "out", NULL}, "plan"},
	{{"lay*", "out", NULL}, "plan"},
	{{"keep*", "an", "eye", NULL}, "observe"},
};

static int
cmp_map(const void *a, const void *b)
{
	return strcmp(((const struct word_map *)a)->word, ((const struct word_map *)b)->word);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static once_flag tables_once = ONCE_FLAG_INIT;

static void
tables_sort(void)
{
	qsort(stop_words, sizeof(stop_words) / sizeof(stop_words[0]), sizeof(stop_words[0]), cmp_str);
	qsort(common_words, sizeof(common_words) / sizeof(common_words[0]), sizeof(common_words[0]), cmp_str);
	qsort(exact_words, sizeof(exact_words) / sizeof(exact_words[0]), sizeof(exact_words[0]), cmp_map);
}

static int
is_stop(const char *w)
{
	return bsearch(&w, stop_words, sizeof(stop_words) / sizeof(stop_words[0]),
	               sizeof(stop_words[0]), cmp_str) != NULL;
}

/* A long word one typo away from a long stop word is that stop word:
 * "responsibilites" is filler, not a word the knowledge base lacks. */
static int
is_stop_typo(const char *w)
{
	size_t n = strlen(w);

	if (n < 8)
		return 0;
	for (size_t i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		if (strlen(stop_words[i]) >= 8 && analyze_distance_le1(w, stop_words[i]) <= 1)
			return 1;
	return 0;
}

static int
is_common(const char *w)
{
	return bsearch(&w, common_words, sizeof(common_words) / sizeof(common_words[0]),
	               sizeof(common_words[0]), cmp_str) != NULL;
}

static const char *
exact_term(const char *w)
{
	struct word_map key = {w, NULL}, *hit;

	hit = bsearch(&key, exact_words, sizeof(exact_words) / sizeof(exact_words[0]),
	              sizeof(exact_words[0]), cmp_map);
	return hit ? hit->term : NULL;
}

static const char *
prefix_term(const char *w)
{
	for (size_t i = 0; i < sizeof(prefix_words) / sizeof(prefix_words[0]); i++) {
		const char *p = prefix_words[i].word;
		if (p[0] == w[0] && strncmp(w, p, strlen(p)) == 0)
			return prefix_words[i].term;
	}
	return NULL;
}

/* ---- stemming ---- */

static int
ends(const char *w, size_t n, const char *suf)
{
	size_t s = strlen(suf);

	return n >= s && memcmp(w + n - s, suf, s) == 0;
}

/* Replaces suffix suf (known present) with rep. */
static size_t
swap(char *w, size_t n, const char *suf, const char *rep)
{
	size_t s = strlen(suf), r = strlen(rep);

	if (n - s + r >= AN_WORD_MAX)
		return n;
	memcpy(w + n - s, rep, r + 1);
	return n - s + r;
}

static int
is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

void
analyze_stem(char *w)
{
	size_t n = strlen(w);
	static const char *const british[][2] = {
		{"isations", "izations"}, {"isation", "ization"}, {"ising", "izing"}, {"ised", "ized"},
		{"ises", "izes"}, {"ise", "ize"}, {"ysing", "yzing"}, {"ysed", "yzed"}, {"yse", "yze"},
	};

	if (n <= 3)
		return;
	for (size_t i = 0; i < sizeof(british) / sizeof(british[0]); i++)
		if (ends(w, n, british[i][0]) && n > strlen(british[i][0]) + 2) {
			n = swap(w, n, british[i][0], british[i][1]);
			break;
		}
	/* plurals */
	if (ends(w, n, "ies") && n > 4)
		n = swap(w, n, "ies", "y");
	else if (ends(w, n, "sses"))
		n = swap(w, n, "sses", "ss");
	else if (ends(w, n, "s") && !ends(w, n, "ss") && !ends(w, n, "us") && !ends(w, n, "is") && n > 3)
		w[--n] = '\0';
	/* one derivational or inflectional suffix */
	if (ends(w, n, "ization") && n > 9)
		n = swap(w, n, "ization", "ize");
	else if (ends(w, n, "ation") && n > 8)
		n = swap(w, n, "ation", "ate");
	else if (ends(w, n, "ment") && n > 7)
		n = swap(w, n, "ment", "");
	else if (ends(w, n, "ness") && n > 7)
		n = swap(w, n, "ness", "");
	else if (ends(w, n, "able") && n > 7)
		n = swap(w, n, "able", "");
	else if (ends(w, n, "ing") && n > 5)
		n = swap(w, n, "ing", "");
	else if (ends(w, n, "ed") && n > 4)
		n = swap(w, n, "ed", "");
	else if (ends(w, n, "ly") && n > 5)
		n = swap(w, n, "ly", "");
	/* planning -> plann -> plan; but keep ll, ss, zz */
	if (n > 3 && w[n - 1] == w[n - 2] && !is_vowel(w[n - 1]) && w[n - 1] != 'l' &&
	    w[n - 1] != 's' && w[n - 1] != 'z')
		w[--n] = '\0';
	if (n > 4 && w[n - 1] == 'e')
		w[--n] = '\0';
}

/* ---- tokenising ---- */

/* Pattern words of 5+ letters also match with one typo ("prodct"); a
 * prefix pattern compares against the word's first letters, give or take one. */
static int
word_matches(const char *pattern, const char *word, size_t w)
{
	size_t p = strlen(pattern);
	char head[AN_WORD_MAX], pat[AN_WORD_MAX];

	if (p > 0 && pattern[p - 1] == '*') {
		if (strncmp(pattern, word, p - 1) == 0)
			return 1;
		if (p - 1 < 5 || p >= AN_WORD_MAX)
			return 0;
		memcpy(pat, pattern, p - 1);
		pat[p - 1] = '\0';
		for (size_t k = p - 2; k <= p && k <= w; k++) {
			memcpy(head, word, k);
			head[k] = '\0';
			if (analyze_distance_le1(pat, head) <= 1)
				return 1;
		}
		return 0;
	}
	/* one edit changes the length by at most one: most pairs stop here */
	if (p > w + 1 || w > p + 1)
		return 0;
	if (p == w && strcmp(pattern, word) == 0)
		return 1;
	return p >= 5 && w >= 4 && analyze_distance_le1(pattern, word) <= 1;
}

/* Length in words of the phrase starting at words[i], and its term. */
static size_t
phrase_at(char words[][AN_WORD_MAX], const size_t *lens, size_t nwords, size_t i,
          const char **term)
{
	for (size_t p = 0; p < sizeof(phrases) / sizeof(phrases[0]); p++) {
		size_t k = 0;
		while (phrases[p].w[k] != NULL && i + k < nwords &&
		       word_matches(phrases[p].w[k], words[i + k], lens[i + k]))
			k++;
		if (phrases[p].w[k] == NULL) {
			*term = phrases[p].term;
			return k;
		}
	}
	return 0;
}

static void
copy_word(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n >= AN_WORD_MAX)
		n = AN_WORD_MAX - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
classify(struct an_token *t)
{
	const char *term;

	if (strcmp(t->raw, "pm") == 0 || strcmp(t->raw, "po") == 0) {
		copy_word(t->term, t->raw);
		t->kind = AN_ENTITY;
		return;
	}
	if (is_stop(t->raw)) {
		t->term[0] = '\0';
		t->kind = AN_STOP;
		return;
	}
	t->kind = AN_CONTENT;
	t->common = is_common(t->raw) || (t->raw[0] >= '0' && t->raw[0] <= '9');
	if ((term = exact_term(t->raw)) != NULL || (term = prefix_term(t->raw)) != NULL) {
		copy_word(t->term, term);
	} else if (is_stop_typo(t->raw)) {
		t->term[0] = '\0';
		t->kind = AN_STOP;
		return;
	} else {
		copy_word(t->term, t->raw);
		analyze_stem(t->term);
	}
	if (strcmp(t->term, "pm") == 0 || strcmp(t->term, "po") == 0)
		t->kind = AN_ENTITY;
}

size_t
analyze_text(const char *text, size_t len, struct an_token *out, size_t max)
{
	char norm[AN_TEXT_MAX + 1];
	char words[WORDS_MAX][AN_WORD_MAX];
	size_t lens[WORDS_MAX];
	size_t nwords = 0, n = 0, nlen;

	call_once(&tables_once, tables_sort);
	nlen = analyze_normalize(text, len, norm, sizeof(norm));
	for (size_t i = 0; i < nlen && nwords < WORDS_MAX;) {
		size_t w = 0;
		while (i < nlen && norm[i] == ' ')
			i++;
		if (i >= nlen)
			break;
		while (i < nlen && norm[i] != ' ') {
			/* apostrophes vanish: who's -> whos, PM's -> pms */
			if (norm[i] != '\'' && w + 1 < AN_WORD_MAX)
				words[nwords][w++] = norm[i];
			i++;
		}
		words[nwords][w] = '\0';
		lens[nwords] = w;
		if (w > 0)
			nwords++;
	}
	for (size_t i = 0; i < nwords && n < max;) {
		const char *term = NULL;
		size_t plen = phrase_at(words, lens, nwords, i, &term);
		struct an_token *t = &out[n++];
		if (plen > 0) {
			copy_word(t->raw, term);
			copy_word(t->term, term);
			t->common = 0;
			t->kind = term[0] == '\0' ? AN_STOP
			        : strcmp(term, "pm") == 0 || strcmp(term, "po") == 0 ? AN_ENTITY : AN_CONTENT;
			i += plen;
			continue;
		}
		copy_word(t->raw, words[i]);
		classify(t);
		i++;
	}
	return n;
}

int
analyze_distance_le1(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la > lb + 1 || lb > la + 1)
		return 2;
	while (i < la && i < lb && a[i] == b[i])
		i++;
	if (i == la && i == lb)
		return 0;
	if (la == lb) {
		/* one substitution, or one transposition of neighbours */
		if (strcmp(a + i + 1, b + i + 1) == 0)
			return 1;
		if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0)
			return 1;
		return 2;
	}
	/* one insertion or deletion */
	return la > lb ? (strcmp(a + i + 1, b + i) == 0 ? 1 : 2) : (strcmp(a + i, b + i + 1) == 0 ? 1 : 2);
}
