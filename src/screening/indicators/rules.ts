// Behaviour indicator rules for crime narratives (MO text). Every rule is data: read the patterns to see exactly what
// fires. Pattern shorthand is explained on IndicatorRule in types.ts. Sources: Protection from Harassment Act 1997
// s2A(3) (acts associated with stalking) and s4A (fear of violence, serious alarm or distress with a substantial
// adverse effect on usual day-to-day activities); the FOUR mnemonic (fixated, obsessive, unwanted, repeated).

import type { IndicatorCategory, IndicatorRule } from './types.ts'

/** A reference to the victim. */
export const VICTIM = "(?:her|him|them|me|ip\\d?|vic\\d?|victim|the (?:ip|vic|victim|injured party)|ip's|vic's)"
/** A possessive for the victim's person, home or things. */
export const POSSESSIVE = "(?:her|his|their|the|ip's|vic's|ip\\d's|the (?:ip|vic|victim)'s|victim's)"

const COUNT = '(?:\\d+|two|three|four|five|six|seven|eight|nine|ten|several|numerous|many|multiple|number of|countless)'
const SMALL_COUNT =
  '(?:[2-9]|two|three|four|five|six|seven|eight|nine|ten|several|numerous|multiple|countless|dozens of)'
const COMMS =
  '(?:messages?|texts?|e-?mails?|letters?|cards?|gifts?|flowers|parcels?|presents?|notes?|voice ?notes?|voicemails?|dms?|friend requests?|photos?|pictures?|screenshots?|videos?)'
const PLACE = '(?:home|house|address|flat|workplace|work|office|door|doorstep|school|college|gym|car|garden)'
const ACCOUNTS =
  '(?:accounts?|e-?mails?|e-?mail account|icloud|facebook|instagram|snapchat|tiktok|whatsapp|google account|apple id|online banking|bank account|social media|passwords?|profile|phone|laptop|computer|tablet|doorbell|cameras?|camera app|smart home)'

export const RULES: readonly IndicatorRule[] = [
  // ---- s2A(3) acts associated with stalking --------------------------------------------------------------------
  {
    id: 'following',
    label: 'Following',
    category: 'statutory_act',
    description: 'Following the victim on foot or by vehicle (s2A(3)(a)).',
    patterns: [
      `follow(?:s|ed|ing)? {V}`,
      'follow(?:s|ed|ing)? (?!(?:day|days|morning|evening|night|week|month|year|incident|advice|arrest|conversation|argument|disagreement|dispute|report|call|the|a|an|this|that|which|police|up|through|by|on|her|him|ip|vic)\\b)[a-z]+ (?:home|back home)',
      // Passive with the victim as subject ("she was followed", not "the offender was followed by security"); the
      // lookbehind sits after the word so it runs only where "followed" occurs.
      'followed(?<=\\b(?:she|he|they|ip|vic|victim|i) (?:has |had |have )?(?:was|were|been|being|is|are|get|got|felt|feels|feel) (?:not |never )?followed)',
      `tail(?:s|ed|ing|gated|gating)? {V}`,
      `(?:drove|drives|drive|driving|walked|walking|cycled|cycling) (?:closely )?behind {V}`,
      `(?:pursued|trailed|trailing|shadowed|shadowing) {V}`,
    ],
  },
  {
    id: 'contact',
    label: 'Contacting or attempting to contact',
    category: 'statutory_act',
    description:
      'Contacting or trying to contact the victim by any means: calls, messages, letters, gifts, turning up.',
    patterns: [
      `contact(?:s|ed|ing)? {V}`,
      `(?:messag(?:e|es|ed|ing)|text(?:s|ed|ing)?|e-?mail(?:s|ed|ing)?|phon(?:e|es|ed|ing)|rang|ring(?:s|ing)?|dm(?:s|ed|ing)?|facetim(?:e|ed|ing)) {V}`,
      `call(?:s|ed|ing)? {V}(?! (?:a|an|names?)\\b)`,
      `(?:rang|ring(?:s|ing)?|phon(?:ed|ing)|call(?:s|ed|ing)|e-?mail(?:s|ed|ing)|messag(?:ed|ing)|visit(?:s|ed|ing)?) {POSS} (?:work|workplace|office|mother|mum|father|dad|sister|brother|family|friends?|colleagues?|employer|parents|manager)`,
      '(?:tried|tries|try|trying|attempt(?:s|ed|ing)?) to (?:contact|call|phone|ring|message|text|e-?mail|reach|speak to|talk to|see|get hold of)',
      '(?:made|make|makes|making) contact',
      `(?:calls|messages|texts|e-?mails|voicemails)(?: and (?:calls|messages|texts|e-?mails|voicemails))? from (?:her|his|their|the|an?) (?:ex|former)\\b`,
      'contact from (?:susp\\d?|the suspect|him|the male|her ex|his ex)',
      `sen(?:t|ds|ding) (?:{V} )?(?:[\\w'-]+ ){0,4}?${COMMS}`,
      `${COMMS} (?:from (?:susp\\d?|the suspect|him)|(?:susp\\d?|he|the suspect) (?:had |has )?sent)`,
      `receiv(?:ed|es|ing) (?:[\\w'-]+ ){0,4}?(?:${COMMS}|calls?|replies|comments|contact)`,
      `left (?:{V} )?(?:[\\w'-]+ ){0,3}?(?:letters?|notes?|cards?|flowers|gifts?|presents?|parcels?|messages?|voicemails?)`,
      `(?:wr(?:ote|itten|ites|iting)) (?:{V} )?(?:[\\w'-]+ ){0,3}?(?:letters?|notes?|cards?) (?:to {V})?`,
      'turn(?:s|ed|ing)? up',
      'show(?:s|ed|ing)? up (?:at|outside|unannounced|uninvited)',
      `(?:pester(?:s|ed|ing)?|bombard(?:s|ed|ing)?|inundat(?:es|ed|ing)) {V}`,
      '(?:pester(?:s|ed|ing)?|bombard(?:s|ed|ing)?|inundat(?:es|ed|ing)) (?:with|by)',
      '(?:withheld|private|unknown|different) numbers?',
      `(?:attend(?:s|ed|ing)?|came to|come to|comes to|coming to|went to|go to|goes to|going to|arrived at|arrives at|arriving at|turned up at|visited|visiting) {POSS} (?:new |home |front |[\\w-]+'?s )?${PLACE}`,
      `(?:knock(?:s|ed|ing)?|bang(?:s|ed|ing)?|hammer(?:s|ed|ing)?) on {POSS} (?:front |back |bedroom )?(?:door|window)s?`,
      `approach(?:es|ed|ing)? {V}`,
      'approached by (?:susp\\d?|the suspect|him|the male)',
      `ask(?:s|ed|ing)? (?:{V} )?(?:[\\w'-]+ ){0,2}?for {POSS} (?:phone )?number`,
    ],
  },
  {
    id: 'publishing',
    label: 'Publishing material about the victim',
    category: 'statutory_act',
    description: 'Publishing any statement or material relating to, or purporting to come from, the victim.',
    patterns: [
      `post(?:s|ed|ing)? (?:[\\w'-]+ ){0,8}?(?:about|of|naming|calling|alleging|claiming) {V}`,
      `post(?:s|ed|ing)? (?:[\\w'-]+ ){0,8}?(?:alleging|claiming)`,
      "post(?:s|ed|ing)? (?:[\\w'-]+ ){0,6}?(?:on|in) (?:a |the )?(?:facebook|instagram|tiktok|twitter|x|snapchat|social media|online|youtube|reddit|whatsapp)",
      `post(?:s|ed|ing)? {POSS} (?:[\\w'-]+ ){0,2}?(?:photos?|pictures?|images?|address|details|number|videos?)`,
      `(?:review|post|comment|article|page|video)s? (?:naming|about) {V}`,
      `comments? about {V}`,
      `shar(?:ed|es|ing) (?:[\\w'-]+ ){0,4}?of {V}`,
      `shar(?:ed|es|ing) {POSS} (?:[\\w'-]+ ){0,2}?(?:photos?|pictures?|images?|address|details|number|videos?)`,
      'publish(?:ed|es|ing)',
      'spread(?:s|ing)? (?:rumours|lies)',
      `(?:page|account|profile)s? in {POSS} name`,
      `(?:pretend(?:ing|ed|s)? to be|posing as|impersonat(?:ed|ing|es|e)) {V}`,
      'purport(?:s|ed|ing)? to (?:be|come) from',
    ],
  },
  {
    id: 'monitoring',
    label: 'Monitoring internet, email or electronic communications',
    category: 'statutory_act',
    description: "Monitoring the victim's use of the internet, email or other electronic communication.",
    patterns: [
      `monitor(?:s|ed|ing)? {POSS} (?:[\\w'-]+ ){0,2}?(?:phone|e-?mails?|messages|texts|social media|online|internet|accounts?|facebook|instagram|snapchat|whatsapp|activity|calls|laptop|computer|browsing|posts)`,
      // Not "accessed her email": that is account_access, and counting one phrase as two acts would double count.
      `(?:read(?:s|ing)?|check(?:s|ed|ing)?|go(?:es|ing)? through|went through|look(?:s|ed|ing)? through|view(?:s|ed|ing)?|screenshot(?:s|ted|ting)?) {POSS} (?:[\\w'-]+ ){0,2}?(?:phone|e-?mails?|messages|texts|social media|whatsapps?|dms|browsing history|internet history|call log|strava|laptop|posts|private messages)`,
      'know(?:s|n)? (?:who|what) (?:she|he|they|ip|vic) (?:has|had|have|is|was) (?:been )?(?:messag|talk|speak|text|e-?mail|say|said|post)\\w*',
      `quot(?:es|ed|ing) {POSS} (?:[\\w'-]+ ){0,2}?(?:messages|texts|e-?mails|posts|conversations)`,
      // Knowing where the victim has been or who visited, which only watching or tracking would tell.
      "(?:comment(?:s|ed|ing)?|remark(?:s|ed|ing)?|knew|knows|mention(?:s|ed|ing)?|referenc(?:e|es|ed|ing)|refer(?:s|red|ring)? to|describ(?:e|es|ed|ing)) (?:[\\w'-]+ ){0,3}?(?:where (?:she|he|they|ip|vic) (?:had |has |have )?(?:been|gone|was|went)|what (?:she|he|they|ip|vic) (?:was|were|had been) wearing|who (?:she|he|they|ip|vic) (?:was|were|had been) with|places (?:she|he|they|ip|vic) (?:had |has |have )?(?:been|gone|visited|went)|who (?:had |has )?(?:visited|called round|been round)|what time (?:she|he|they|ip|vic) (?:got|left|came|arrived))",
    ],
  },
  {
    id: 'loitering',
    label: 'Loitering',
    category: 'statutory_act',
    description: "Loitering in any place: waiting, sitting, parking or driving past the victim's home, work or route.",
    patterns: [
      'loiter(?:s|ed|ing)?',
      'lurk(?:s|ed|ing)?',
      '(?:hang(?:s|ing)?|hung) (?:around|about|round)',
      "(?:wait(?:s|ed|ing)?|sit(?:s|ting)?|sat|stand(?:s|ing)?|stood|parking|parked up|sat parked|linger(?:s|ed|ing)?|seen|appear(?:s|ed|ing)?) (?:[\\w'-]+ ){0,6}?(?:outside|opposite|across the road from|across the street from|across from|near|at the end of|in (?:the|her|his|their) (?:[\\w-]+ )?car park|(?:at|by) the (?:[\\w-]+ ){0,2}?gates?|by the)",
      `appear(?:s|ed|ing)? (?:on|along|at) {POSS} (?:[\\w'-]+ ){0,2}?(?:route|walk|street|road|work|workplace|home|house|gym)`,
      'appear(?:s|ed|ing)? (?:at |in )?(?:places|wherever|everywhere) (?:she|he|they|ip|vic)',
      `(?:driv(?:e|es|ing|en)|drove|walk(?:s|ed|ing)?|cycl(?:e|es|ed|ing)) (?:past|by|up and down) {POSS} (?:[\\w'-]+ ){0,2}?(?:home|house|address|flat|work|workplace|road|street|school)`,
    ],
  },
  {
    id: 'property_interference',
    label: 'Interfering with property',
    category: 'statutory_act',
    description: "Interfering with any property in the victim's possession: damage, tampering, taking post or keys.",
    patterns: [
      "(?:damag(?:e|es|ed|ing)|smash(?:es|ed|ing)?|scratch(?:es|ed|ing)?|key(?:ed|ing)|slash(?:es|ed|ing)?|punctur(?:e|es|ed|ing)|kick(?:s|ed|ing)? in|broke|break(?:s|ing)?|vandalis(?:e|es|ed|ing)|let down|spray[- ]?paint(?:s|ed|ing)?) (?:[\\w'-]+ ){0,4}?(?:car|vehicle|van|tyres?|windows?|windscreen|door|letterbox|letter box|fence|gate|shed|property|bins?|wing mirrors?|bike|motorbike|garage)s?",
      "(?:cars?|vehicles?|vans?|tyres?|windows?|windscreen|door|letterbox|fence|gate|shed|property|bins?|mirrors?|bike) (?:[\\w'-]+ ){0,5}?(?:damaged|smashed|slashed|scratched|keyed|punctured|kicked|broken|tampered with|vandalised|sprayed|let down)",
      `damage (?:to|on) {POSS} (?:[\\w'-]+ ){0,2}?(?:car|vehicle|van|property|home|house|door|window|fence|garden)`,
      `cut (?:down )?(?:part of )?{POSS} (?:[\\w'-]+ ){0,1}?(?:hedge|tree|fence|plants?|flowers|brake|cables?)`,
      "(?:written|wrote|painted|sprayed|scrawled|daubed) (?:[\\w'-]+ ){0,4}?on (?:[\\w'-]+ ){0,2}?(?:car|door|house|wall|shed|fence|garage|van)",
      `(?:tamper(?:s|ed|ing)?|interfer(?:e|es|ed|ing)) with {POSS} (?:[\\w'-]+ ){0,2}?(?:car|vehicle|post|mail|property|bike|locks?|meter)`,
      `(?:took|taken|takes|stole|stolen|steal(?:s|ing)?|removed|removing|open(?:ed|ing)) {POSS} (?:post|mail|letters|parcels|keys|underwear|bins?|washing)`,
      `(?:went|go(?:es|ing)?) through {POSS} (?:bins?|post|mail|belongings|drawers)`,
    ],
  },
  {
    id: 'watching',
    label: 'Watching or spying',
    category: 'statutory_act',
    description: 'Watching or spying on the victim: staring, looking into windows, photographing, covert cameras.',
    patterns: [
      `watch(?:es|ed|ing)? {V}`,
      `watch(?:es|ed|ing)? (?:{V} )?(?:via|through|on) (?:the |her |his |their )?(?:[\\w-]+ )?(?:cameras?|cctv|doorbell|webcam)s?`,
      `watch(?:es|ed|ing)? {POSS} (?:[\\w'-]+ ){0,1}?(?:home|house|address|flat|windows?|movements|car)`,
      'watched(?<=\\b(?:she|he|they|ip|vic|victim|i) (?:has |had |have )?(?:was|were|been|being|is|are|feels|felt) (?:not |never )?watched)',
      `star(?:e|es|ed|ing) (?:at|into|in at) {V}`,
      `star(?:e|es|ed|ing) (?:at|into|through|in at|up at) {POSS} (?:[\\w'-]+ ){0,2}?(?:windows?|house|home|flat)`,
      '(?:spy|spies|spied|spying)(?! ?app)',
      'peer(?:s|ed|ing)? (?:into|through|in)',
      `look(?:s|ed|ing)? (?:through|into|in through|in at|up at) {POSS} (?:[\\w'-]+ ){0,2}?(?:windows?|letterbox|letter box|house|home|flat|car|bins?|garden)`,
      `photograph(?:s|ed|ing)? {V}`,
      `photograph(?:s|ed|ing)? {POSS} (?:[\\w'-]+ ){0,1}?(?:car|house|home|address|flat|children|window)`,
      `(?:took|taken|taking|takes|take) (?:photos?|photographs|pictures|videos?|footage) of {V}`,
      `(?:photos?|photographs|pictures) of {V} taken`,
      "(?:photos?|photographs|pictures|videos?) of (?:herself|himself|themselves) (?:[\\w'-]+ ){0,3}?taken",
      `(?:looking|looked|staring|stared) (?:up )?at {POSS} (?:[\\w'-]+ ){0,2}?(?:windows?|house|home|flat|car)`,
      `film(?:s|ed|ing) {V}`,
      `cameras? (?:[\\w'-]+ ){0,2}?(?:pointing|pointed|facing|aimed|angled) (?:[\\w'-]+ ){0,2}?(?:at|into|towards) {POSS}`,
      'surveillance',
      'binoculars',
    ],
  },

  // ---- FOUR: fixated, obsessive, unwanted, repeated ------------------------------------------------------------
  {
    id: 'fixated',
    label: 'Fixated or obsessive',
    category: 'four',
    description: 'Fixation or obsession on the victim: will not accept the relationship is over, declarations of love.',
    patterns: [
      'obsess(?:ed|ive|ively|ion)',
      'fixat(?:ed|ion)',
      'infatuat(?:ed|ion)',
      "(?:won't|will not|wouldn't|would not|can't|cannot|could not|couldn't|refus(?:es|ed|ing) to|unable to|doesn't|does not|did not|didn't) accept (?:that )?(?:the|their|it|they|she|he|things)",
      '(?:take|taking|took|takes) (?:him|her) back',
      'get(?:ting)? back together',
      '(?:begg|plead)(?:ed|ing|s)? (?:with )?(?:her|him|ip|vic) to (?:come back|return|meet|see|take|give|get)',
      '(?:still|truly|really|always) loves? (?:her|him|ip|vic|you)',
      'in love with (?:her|him|ip|vic)',
      'soul ?mates?',
      'destined',
      'meant to be together',
      // Starts at "belong" so that the common "he"/"she" do not make this rule try every word.
      'belongs?(?<=\\b(?:she|he|you) belongs?) to (?:him|her|me)',
      'wants? to (?:see|be with) (?:her|him|ip|vic)\\b(?! (?:children|child|kids|son|daughter))',
      'only one for (?:him|her|me)',
      "(?:won't|will not|never) (?:let (?:her|him) go|give (?:her|him) up)",
    ],
  },
  {
    id: 'unwanted',
    label: 'Unwanted',
    category: 'four',
    description:
      'The victim has made clear the conduct is unwanted: asked it to stop, blocked, or it continues despite that.',
    patterns: [
      'unwanted',
      'unwelcome',
      'uninvited',
      'unsolicited',
      `(?:told|asked|begged|warned|telling|asking) (?:him|her|susp\\d?|them|the suspect) (?:${COUNT} times |repeatedly |many times )?(?:to stop|to leave (?:her|him|them) alone|to go away|not to (?:contact|call|message|text|come|visit|attend))`,
      'block(?:s|ed|ing)? (?:him|susp\\d?|his (?:number|account|profile)s?|the (?:number|account|profile)s?|one|them|the suspect)',
      `despite (?:{V} |{POSS} )?(?:being|having been|saying|telling|asking|requests?|warnings?|a |the |police)`,
      'wants? (?:it|him|this|the (?:contact|messages|calls|behaviour)) to stop',
      `(?:without|against) {POSS} (?:consent|permission|wishes)`,
      'banned (?:him|susp\\d?|the suspect)',
      'in breach of',
      '(?:nmo|ro|spo|order|injunction|bail) breach(?:es|ed)?',
      '(?:nmo|non-molestation order|restraining order|stalking protection order|injunction|bail conditions) (?:is |was |are |were )?in (?:force|place)',
      "(?:messages|calls|contact|texts|visits|gifts|attention|letters) (?:that |which )?(?:she|he|ip|vic|they) (?:does not|doesn't|did not|didn't|do not|don't) want",
      "breach(?:ed|es|ing)? (?:of )?(?:[\\w'-]+ ){0,3}?(?:order|injunction|bail|conditions|undertaking)s?",
      "(?:non-molestation|restraining|protection|stalking protection) orders? (?:[\\w'-]+ ){0,3}?(?:in place|granted|made|issued|against)",
    ],
  },
  {
    id: 'repeated',
    label: 'Repeated or persistent',
    category: 'four',
    description: 'Repetition or persistence: counts, frequencies, durations, continuing conduct, previous occasions.',
    patterns: [
      'repeated(?:ly)?',
      'persistent(?:ly)?',
      'constant(?:ly)?',
      'incessant(?:ly)?',
      'relentless(?:ly)?',
      'continual(?:ly)?',
      'numerous',
      'regularly',
      'frequently',
      'often',
      'whenever (?:she|he|they|ip|vic)',
      'all the time',
      'all times',
      'day and night',
      'multiple (?:times|occasions|calls|messages|texts|e-?mails|letters|visits)',
      '(?:every|each) (?:single )?(?:day|night|morning|evening|week|weekend|time|shift|hour)',
      'daily',
      'nightly',
      'most (?:days|nights|mornings|evenings|weekends)',
      'day after day',
      'night after night',
      `${COUNT} (?:[\\w-]+ )?(?:occasions|times|nights|days|evenings|mornings)`,
      `${COUNT} times`,
      'twice',
      `\\d{2,}\\+? (?:[\\w-]+ ){0,2}?(?:${COMMS}|calls|comments|posts|log-?ins|accounts|visits|incidents)`,
      `${SMALL_COUNT} (?:[\\w-]+ )?(?:messages|texts|calls|e-?mails|letters|visits|comments|posts|voicemails)`,
      '(?:continu(?:e|es|ed|ing)) to',
      '(?:keeps?|kept) (?:on )?\\w+ing',
      '(?:has|have|had) continued',
      "(?:hasn't|has not|haven't|have not|won't|will not|doesn't|does not|didn't|did not|never) (?:stop(?:ped)?|leave (?:her|him|ip|vic|them) alone|give up|left (?:her|him) alone)",
      'again',
      '(?:has happened|happens) (?:before|again|regularly|often|most)',
      'happened before',
      'not the first time',
      'did the same (?:thing )?(?:before|again|last time)',
      '(?:second|third|fourth|fifth|sixth|\\d+(?:st|nd|rd|th)) (?:time|breach|occasion|incident|report)',
      'previous (?:nights|occasions|incidents|days|weeks|breaches)',
      'similar (?:posts|incidents|messages|behaviour|occasions)',
      '(?:past|last) (?:few |couple of |[\\w-]+ )?(?:days|weeks|months|month|fortnight|year|years)',
      'for (?:several|many|a number of|some) (?:weeks|months|years)',
      '(?:weeks|months|years) of',
      'for (?:weeks|months|years|the past|the last)',
      'over (?:the )?(?:past |last )?(?:several |many |a number of |some |[\\w-]+ )?(?:weeks|months|years)',
      '(?:hundreds|dozens|scores) of',
      'on and off',
      'yet again',
      '(?:times|calls|messages|texts|e-?mails) (?:a|per|each) (?:day|night|week)',
      // Continuing conduct: the perfect progressive of verbs whose every instance is a separate occasion.
      '(?:has|have|had) been (?:following|watching|contacting|messaging|calling|texting|ringing|phoning|e-?mailing|sending|turning up|posting|monitoring|tracking|driving past|walking past|leaving)',
    ],
  },

  // ---- Fear, alarm or distress; s4A substantial adverse effect ------------------------------------------------
  {
    id: 'threats',
    label: 'Threats',
    category: 'fear_distress',
    description:
      'Threats to the victim, their family or property: common in stalking, but also in one-off disputes, so never decisive alone.',
    patterns: [
      'threat(?:en(?:s|ed|ing)?|s)',
      'threatening',
      '(?:said|says|saying|told (?:her|him|ip|vic)) (?:that )?(?:he|she|they) (?:would|will|was going to|is going to) (?:kill|hurt|harm|get|find|burn|ruin|stab|smash)',
      "(?:i'?ll|i will|i'm going to|gonna) (?:kill|hurt|get|find|ruin|end)",
    ],
  },
  {
    id: 'fear_violence',
    label: 'Fear (including fear of violence)',
    category: 'fear_distress',
    description: 'The victim is afraid: scared, frightened, terrified, fears for their safety, feels unsafe.',
    patterns: [
      'scared',
      'frightened',
      'terrified',
      'petrified',
      'afraid',
      'fearful',
      'in fear',
      'fear(?:s|ed)? (?:for|that|he|she|of|violence)',
      "(?:does not|doesn't|do not|don't|no longer|did not|didn't) feels? safe",
      'feel(?:s|ing)? unsafe',
      '(?:worried|concerned) for (?:her|his|their) (?:safety|life|lives)',
    ],
  },
  {
    id: 'alarm_distress',
    label: 'Alarm or distress',
    category: 'fear_distress',
    description: 'The victim is alarmed or distressed: upset, anxious, not sleeping, on edge.',
    patterns: [
      'distress(?:ed|ing)?',
      'alarm(?:ed)? and distress',
      'alarmed',
      'anxious',
      'anxiety',
      'upset(?:ting)?',
      'shaken',
      'stress(?:ed|ful)?',
      'panic attacks?',
      "(?:can't|cannot|unable to|not|struggling to|struggles to|couldn't|could not) sleep(?:ing)?",
      'on edge',
      'unsettled',
      'in tears',
      'tearful',
      'worried',
      'traumatised',
      'exhausted',
      'looking over (?:her|his|their) shoulder',
    ],
  },
  {
    id: 'adverse_effect',
    label: 'Substantial adverse effect on day-to-day activities',
    category: 'fear_distress',
    description:
      'The victim has changed how they live (s4A): changed route or number, moved, stopped going out, off work, CCTV.',
    patterns: [
      `chang(?:e|es|ed|ing) (?:{POSS} )?(?:[\\w-]+ ){0,2}?(?:route|routine|times|phone number|number|hours|shifts?|shift pattern|locks|address|school|job|workplace|e-?mail address)`,
      '(?:locks|phone number|number|route) (?:have been |has been |were |was )?changed',
      "(?:moved|moving|move|relocated|relocating) (?:house|home|address|away|to (?:a |her |his )?(?:new|different|another) (?:address|house|home|area|flat)|in with|to (?:her|his|a) (?:[\\w-]+'s )?(?:address|house|home|flat))",
      'move (?:her|him) to (?:another|a different) (?:branch|site|office|team|store|location|school)',
      "(?:stay(?:s|ed|ing)?|living|sleeping|gone to stay|go to stay|went to stay) (?:with|at) (?:her |his |their |a )?(?:[\\w-]+'s )?(?:sister|brother|mother|mum|father|dad|parents|family|friends?|relatives|grandmother|grandparents|address|house)",
      'refuge',
      '(?:stopped|stops|stop) (?:going|attending|using|walking|running|leaving|visiting|socialising)',
      "(?:no longer|won't|will not|doesn't|does not|can't|cannot|unable to|too (?:scared|frightened|afraid) to|scared to|afraid to|frightened to|has not|hasn't|not) (?:go(?:es)? out|leave (?:the house|home|her home|her house|his home|work alone)|left the house|go to work|walk (?:alone|home|to)|stay at home|answer the door|use (?:her|his) garden)",
      'installed (?:a |an )?(?:[\\w-]+ ){0,2}?(?:cctv|cameras?|alarm|ring doorbell|doorbell camera|video doorbell|security lights?)',
      '(?:cctv|cameras?|doorbell camera|ring doorbell|video doorbell) (?:has been |have been |was |were )?(?:installed|fitted)',
      '(?:panic|personal) alarm',
      'off work',
      'signed off',
      'sick leave',
      'time off work',
      "(?:has not|hasn't|not|unable to|cannot|can't) (?:been )?(?:into|in to|to|at|in) work",
      '(?:left|quit|resigned from|given up|lost) (?:her|his|their) job',
      'work(?:ing|s)? from home',
      '(?:leaves|left|leaving|uses|using|use) (?:by|through) the back (?:entrance|door|exit)',
      'taxis? home',
      'walk (?:her|him) to (?:her|his) car',
      '(?:security|police|staff) escorts?',
      'cancel(?:led|s|ling)? (?:her|his) (?:gym )?membership',
      'deleted (?:her|his) (?:[\\w]+ )?(?:account|accounts|social media|facebook|instagram|tiktok|snapchat|twitter)',
      'removed (?:her|him) from (?:all )?social media',
      '(?:come|came|gone|went) off social media',
      '(?:bought|got|has) a new phone',
      'new (?:phone |mobile )?number',
      '(?:keeps?|kept) (?:her|his|the) curtains (?:closed|drawn)',
    ],
  },

  // ---- Online elements ---------------------------------------------------------------------------------------
  {
    id: 'fake_accounts',
    label: 'Fake or multiple accounts',
    category: 'online',
    description: 'Fake, anonymous or multiple accounts or numbers, often used to get round blocking.',
    patterns: [
      'fake (?:[\\w-]+ ){0,2}?(?:accounts?|profiles?|pages?|names?|numbers?|e-?mail)',
      // Starts at the noun so that the many numbers in a narrative do not make this rule scan every narrative.
      `(?:accounts|profiles|numbers|phones|sim cards|e-?mail addresses)(?<=\\b(?:${COUNT}|different|various|new|anonymous|burner) (?:different )?(?:[\\w]+ )?(?:accounts|profiles|numbers|phones|sim cards|e-?mail addresses))`,
      'new (?:[\\w]+ )?(?:account|profile) (?:appears|appeared|was set up|was created)',
      'burner (?:phone|account|number)s?',
      `(?:page|account|profile)s? in {POSS} name`,
      'set up (?:a |an )?(?:new |fake )?(?:[\\w]+ )?(?:account|profile)s?',
    ],
  },
  {
    id: 'tracking_device',
    label: 'Tracking device',
    category: 'online',
    description: "A tracker on the victim's car, bag or phone (AirTag, GPS tracker) or tracking of their movements.",
    patterns: [
      'air ?tags?',
      'smart ?tags?',
      'tile (?:tracker|device)s?',
      'gps (?:tracker|tracking|device)s?',
      'tracking (?:device|tag)s?',
      'trackers?',
      `track(?:s|ed|ing)? {V}`,
      `track(?:s|ed|ing)? {POSS} (?:car|vehicle|phone|movements|location|whereabouts)`,
    ],
  },
  {
    id: 'spyware',
    label: 'Spyware or stalkerware',
    category: 'online',
    description: "Monitoring software or hidden devices on the victim's phone, computer or home.",
    patterns: [
      'spyware',
      'stalkerware',
      'spy ?apps?',
      'key ?loggers?',
      '(?:monitoring|tracking|spy) (?:app|apps|software)',
      'mspy',
      'flexispy',
      'hoverwatch',
      `(?:app|software|application)s? (?:[\\w'-]+ ){0,3}?(?:installed|hidden) on {POSS} (?:phone|laptop|computer|device|tablet)`,
      'hidden (?:app|camera|microphone)s?',
      'listening devices?',
    ],
  },
  {
    id: 'account_access',
    label: "Accessing the victim's accounts",
    category: 'online',
    description: "Logging into, hacking or changing the passwords of the victim's email, social media or devices.",
    patterns: [
      `(?:access(?:es|ed|ing)?|logg(?:ed|ing) in ?to|logs? in ?to|hack(?:s|ed|ing)? (?:into )?|got into|gained access to|broke into) {POSS} (?:[\\w-]+ ){0,2}?${ACCOUNTS}`,
      `access to {POSS} (?:[\\w-]+ ){0,2}?${ACCOUNTS}`,
      '(?:account|profile|e-?mail|icloud) (?:was |has been |had been )?(?:logged into|accessed|hacked)',
      'passwords? (?:was |were |had been |has been )?changed',
      // Starts at "password" (a rare word) so that the common "has"/"had" do not make this rule scan every narrative.
      `passwords?(?<=\\b(?:know|knew|knows|had|has|used|using) {POSS} (?:[\\w-]+ )?passwords?)`,
      'log-?ins?',
      `from {POSS} (?:[\\w-]+ )?account`,
    ],
  },
  {
    id: 'location_sharing',
    label: 'Location sharing',
    category: 'online',
    description: "The victim's location shared with the suspect, often covertly (Find My, Snap Map, Life360).",
    patterns: [
      `shar(?:e|es|ed|ing) (?:{POSS} )?(?:live )?locations?`,
      'locations? (?:had been |has been |was |is |being )?(?:shared|sharing)',
      'find my(?: iphone| friends| app| device)?',
      'snap ?map',
      'life ?360',
      'live location',
      'location (?:services|tracking|settings)',
    ],
  },
  {
    id: 'image_abuse',
    label: 'Intimate image abuse',
    category: 'online',
    description: 'Intimate images of the victim shared, or threatened to be shared.',
    patterns: [
      '(?:intimate|sexual|explicit|nude|naked|indecent|private sexual|sexually explicit) (?:[\\w-]+ )?(?:images?|photos?|photographs?|pictures?|videos?|footage|content|material)(?! of (?:himself|themselves))',
      'nudes',
      'revenge porn',
      'sextortion',
      'deep ?fakes?',
      "threat(?:en|ened|ening|s)? to (?:share|post|send|publish|leak|upload|release|distribute) (?:[\\w'-]+ ){0,3}?(?:images?|photos?|pictures?|videos?)",
    ],
  },

  // ---- Context: what the narrative says about why there was contact, and whether it was one incident ------------
  // Counter-indicators. Repeated contact with a legitimate reason (a debt, children, a job, an official errand) or a
  // two-sided dispute between neighbours looks like harassment in the words it uses; stalking is fixation on a person.
  // These rules find the reason or the scope as the narrative states it, so that the model can weigh it, and a
  // screener reads it quoted. They describe facts in the narrative, never an officer's conclusion ("civil matter",
  // "no offences disclosed"): a stalking course of conduct wrongly written off as a civil dispute is the failure the
  // super-complaint describes, and screening must not learn to repeat it.
  {
    id: 'purpose_money',
    label: 'Contact about money or property',
    category: 'context',
    description:
      'The contact is about money or property the parties have in common: a debt, rent, an invoice, a deposit, the sale of a home.',
    patterns: [
      'debts?',
      'owe(?:s|d)? (?:him|her|them|me|the|money|rent|£|\\d+)',
      'owing',
      '(?:rent|rental) arrears',
      'arrears',
      'invoices?',
      'deposit',
      'refund',
      '(?:unpaid|outstanding|overdue) (?:[\\w-]+ )?(?:bill|account|balance|amount|rent|money|fees?|loan|sum)s?',
      "(?:demand(?:s|ed|ing)?|ask(?:s|ed|ing)? for|chas(?:es|ed|ing)|request(?:s|ed|ing)?|want(?:s|ed|ing)?) (?:[\\w'-]+ ){0,2}?(?:money|payment|rent|repayment|deposit)",
      'payments?',
      "lent (?:[\\w'-]+ ){0,2}?£",
      'loan(?:ed)?',
      'sale of (?:the |their |his |her )?(?:marital |family |joint |former )?(?:home|house|property|flat)',
      'division of (?:the )?(?:assets|savings|property|furniture|belongings|money)',
      'financial (?:settlement|arrangements)',
      'divorce (?:proceedings|settlement)',
    ],
  },
  {
    id: 'purpose_children',
    label: 'Contact about children',
    category: 'context',
    description:
      'The contact is about children the parties share or care for: arrangements, custody, handovers, school pick-ups.',
    patterns: [
      // Starts at the child so that common words (about, over, to) do not make this rule try every word.
      "(?:children|child|kids|son|daughter|grandson|granddaughter|grandchildren)(?<=\\b(?:about|regarding|concerning|re|relat(?:e|es|ed|ing) to|over|to see|seeing|contact with|access to) (?:the |their |his |her |our )?(?:[\\w'-]+ )?(?:children|child|kids|son|daughter|grandson|granddaughter|grandchildren))",
      "(?:child(?:ren)?(?:'s)?|contact|access|childcare|visiting) arrangements",
      'arrangements for (?:the |their |his |her |our )?(?:children|child|kids|son|daughter)',
      'custody',
      '(?:co-parent|coparent)(?:ing|s)?',
      'school (?:pick[- ]?ups?|runs?|drop[- ]?offs?|holidays)',
      'hand-?overs?',
      'family court',
      'mediation',
      'child maintenance',
    ],
  },
  {
    id: 'purpose_role',
    label: 'Contact in an official, business or work role',
    category: 'context',
    description:
      'The person making contact does so in a role: a process server, bailiff, debt collector, investigator, journalist, salesperson, or about work matters.',
    patterns: [
      'process servers?',
      'bailiffs?',
      'enforcement (?:agents?|officers?|agency|agencies|company)',
      'debt collect(?:ion|ors?|ing)',
      '(?:collection|recovery|collections|investigation|investigations|claims) (?:agency|agencies|company|firm)',
      '(?:serve|serving|served) (?:[\\w-]+ ){0,2}?(?:court )?(?:papers|documents|summons|claim)',
      'court papers',
      'licensing',
      'enquiry officer',
      'journalists?',
      'press (?:enquiries|enquiry|coverage|interest)',
      '(?:private|licensed) investigators?',
      'insurers?',
      'insurance (?:company|claim|investigat\\w*)',
      'cold[- ]?call(?:s|ers?|ing)?',
      'sales (?:calls?|people|person|reps?|representatives?|company)',
      'salesm[ae]n',
      'marketing (?:calls?|company|e-?mails?)',
      'nuisance calls',
      'scam(?:s|mers?)?',
      '(?:registered|legitimate|reputable) (?:company|business|firm|agency)',
      'complaints? (?:procedure|process)',
      'work(?:-related| related| matters| issues)',
      '(?:her|his|their) (?:work )?(?:performance|attendance)',
      'working hours',
      'line manager',
      'offering (?:[\\w-]+ ){0,3}?(?:services|deals?|panels|insulation|quotes?)',
    ],
  },
  {
    id: 'neighbour_dispute',
    label: 'A dispute between neighbours or over property',
    category: 'context',
    description:
      'A two-sided dispute, typically between neighbours: a boundary, a hedge or fence, noise, parking, counter-allegations.',
    patterns: [
      "neighbour(?:s|'s|s')? (?:dispute|disagreement|feud|row|argument)s?",
      'disputes? (?:over|about|regarding|re|between|with (?:a |the |his |her |their )?neighbours?)',
      'boundary',
      'hedges?',
      'noise (?:complaints?|nuisance|disputes?|levels|abatement|team|from)',
      'noisy (?:neighbours?|parties|party)',
      'loud music',
      'parking (?:dispute|issues?|problems?|space|spaces|across)',
      'park(?:s|ed|ing)? across',
      'right of way',
      'counter[- ]allegations?',
      'cross[- ]allegations?',
      'both (?:parties|neighbours|sides) (?:have |had )?(?:made|accuse|blame|complain)\\w*',
    ],
  },
  {
    id: 'single_incident',
    label: 'A single incident',
    category: 'context',
    description:
      'The narrative says this happened once, with nothing before or since, or that many different strangers were involved rather than one person.',
    patterns: [
      'one-?off',
      'single (?:incident|occasion|message|call|comment|text|post|e-?mail|letter|event)',
      'isolated (?:incident|occasion|event)',
      'only (?:once|one (?:message|call|comment|text|post|e-?mail|letter|occasion))',
      // These start at "no" itself: a match starting after it would be discounted as negated.
      'no (?:previous|prior|further) (?:contact|incidents?|issues|history|reports?|calls|messages|problems|dealings|involvement)',
      'no (?:previous|prior) (?:[\\w-]+ )?(?:relationship|history|contact|incidents?|dealings)',
      'before or since',
      'not known to (?:her|him|them|ip|vic|the victim|each other)',
      'no (?:known )?(?:link|connection|relationship) (?:between|to|with)',
      'strangers',
    ],
  },
]

/** Categories whose indicators are conduct (the s2A(3) acts and their online forms). */
export const ACT_CATEGORIES: ReadonlySet<IndicatorCategory> = new Set(['statutory_act', 'online'])

/**
 * The suggestsStalking rule. Stalking needs a course of conduct (two or more occasions) of stalking behaviour; the
 * rule asks for conduct plus something that shows it is a course of conduct aimed at the victim. It is true when:
 *
 * 1. two or more distinct acts are present (s2A(3) acts or their online forms), or
 * 2. one act other than contact (following, watching, loitering, interfering with property, publishing, monitoring,
 *    or an online act) with any FOUR signal (fixated, unwanted, repeated) or a substantial adverse effect, or
 * 3. contact alone, when there is fixation, a substantial adverse effect, or repetition together with fear.
 *
 * Contact is treated more strictly because repeated unwanted contact is also what ordinary harassment looks like
 * (debts, neighbour and commercial disputes). Alarm or distress alone never tips the balance: a one-off abusive
 * message upsets people too. Fear and distress are still reported as indicators for the reviewer.
 */
export function suggestsStalkingFrom(ids: ReadonlySet<string>): boolean {
  let acts = 0
  let nonContactAct = false
  for (const rule of RULES) {
    if (ACT_CATEGORIES.has(rule.category) && ids.has(rule.id)) {
      acts++
      if (rule.id !== 'contact') nonContactAct = true
    }
  }
  if (acts >= 2) return true
  if (acts === 0) return false
  const fixated = ids.has('fixated')
  const repeated = ids.has('repeated')
  const adverse = ids.has('adverse_effect')
  if (nonContactAct) return fixated || repeated || ids.has('unwanted') || adverse
  return fixated || adverse || (repeated && ids.has('fear_violence'))
}
