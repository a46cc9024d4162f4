# STATUS: draft — awaits review by a native speaker before production use
# Kurdî (Kurmancî, kmr), bi tîpên latînî, ji çepê ber bi rastê. Heman mifteyên sv.ftl, ne zêdetir ne kêmtir.
# Hevokên kurt û sade, bi "tu": xwendevan dibe ku ditirse û ciwan e. Etîketên HTML tune.

## Çarçoveya her rûpelê

exit-link = Zû ji vê rûpelê derkeve
skip-link = Here naverokê
language-nav = Ziman hilbijêre
footer-note = Ev malper cookie û skrîpt bi kar nayîne. Tiştê ku tu dinivîsî di gerokê te de nayê tomarkirin.
home-link = Vegere rûpela destpêkê

## Hejmarên acîl

emergency-heading = Tu di xetereyê de yî?
emergency-call-112 = Tu an kesekî din niha di xetereyê de ye? Li 112 bigere.
emergency-short = Tu niha di xetereyê de yî? Li 112 bigere.
number-112 = Hejmara acîl ji bo polîs, ambulans û agirkujiyê. Belaş.
number-police = Polîs dema ku ne acîl be, mînak ji bo giliyê sûcekî an jî şêwirê.
number-bris = BRIS, ji bo her kesê ku ji 18 salî biçûktir e.
number-kvinnofrid = Kvinnofridslinjen, xeta piştgiriyê ji bo jinên ku rastî tehdît û şîdetê tên, û ji bo nêzîkên wan. Belaş, şev û roj vekirî ye.
number-health = Vårdguiden, şêwira tenduristiyê şev û roj.

## Şaşiyên di forman de

error-summary-heading = Tiştek divê were rastkirin
error-prefix = Şaşî:
error-field-generic = Vê qadê kontrol bike.
error-group-missing = Ya ku herî zêde li te tê hilbijêre.
error-message-empty = Peyamekê binivîse.
error-message-too-long = Peyama te pir dirêj e. Wê kurt bike, herî zêde { $max } tîp.
error-language-unknown = Hilbijêre ku tu bersiva me bi kîjan zimanî dixwazî.
error-code-empty = Koda xwe binivîse.
error-code-format = Hemû kodê wek ku te wergirtiye binivîse. Kod tenê ji hejmaran pêk tê.
error-code-typo = Yek ji hejmaran şaş e. Kodê kontrol bike û dîsa biceribîne.
error-form-expired = Dema formê derbas bû, ji ber vê yekê peyama te hîn nehatiye şandin. Nivîsa te hîn li jêr e. Dîsa li Bişîne bitikîne.
error-form-already-sent = Ev form berê hatiye şandin. Heke te kod wernegirt, peyama xwe dîsa binivîse û bişîne.
error-form-invalid = Form nehat bikaranîn, dibe ku ji ber ku pir dirêj vekirî ma. Ji bo ewlehiya te, tiştê ku te nivîsî dîsa nayê nîşandan. Ji kerema xwe formê dîsa dagire.
error-rate-limited = Di demeke kurt de pir hewl hatin dayîn. Çend deqeyan bisekine, paşê dîsa biceribîne.
error-busy = Malper niha pir qelebalix e, ji ber vê yekê peyama te hîn nehatiye şandin. Nivîsa te hîn li jêr e. Hinekî bisekine, paşê dîsa li Bişîne bitikîne.
error-internal = Li aliyê me tiştek xelet çû, ji ber vê yekê peyama te nehat şandin. Nivîsa te hîn li jêr e. Piştî demekê dîsa biceribîne.
message-hint = Herî zêde { $max } tîp.

## Rûpela destpêkê

landing-heading = Piştgirî li dijî şîdet û zordariya bi navê namûsê
landing-intro = Heke tu di bin şîdet, tehdît an kontrola bi navê namûsê de dijî, em şêwir û piştgiriyê didin te. Heke tu ji bo kesekî din xemgîn î, an jî di karê xwe de rastî vê mijarê tê, em alîkariya te jî dikin. Em dikarin te bi karûbarên civakî, polîs û tenduristiyê re bidin girêdan.
landing-anonymous = Tu dikarî bêyî ku navê xwe bidî ji me re binivîsî. Em napirsin tu kî yî.
landing-write = Ji me re binivîse
landing-return-heading = Koda te berê heye?
return-code-label = Koda te
return-code-hint = Koda ku te wergirt dema ku te ji me re nivîsî. Valahî ne girîng in.
return-submit = Axaftina xwe bixwîne
landing-safety-onion = Bi Tor Browser tu dikarî bi navnîşana meya onion jî bigihîjî me:

## Forma têkiliyê

contact-heading = Ji me re binivîse
contact-intro = Ne hewce ye ku tu navê xwe an tiştekî din ku nîşan dide tu kî yî binivîsî. Tiştê ku tu dixwazî em bizanin binivîse.
contact-group-legend = Kîjan herî zêde li te tê?
group-exposed = Kesek li hember min şîdet, tehdît an kontrolê bi kar tîne
group-relative = Ez ji bo kesekî xemgîn im: xizmek, hevalek an hevjînek
group-used-violence = Min li hember kesekî şîdet an kontrol bi kar aniye û dixwazim dev jê berdim
group-professional = Di karê xwe de rastî vê mijarê têm û dixwazim li ser dozekê şêwirê bikim
group-other = Tiştekî din
contact-urgent-label = Ez niha di xetereyê de me
contact-urgent-hint = Em her tim nikarin zû bersiv bidin. Heke tu niha di xetereyê de yî, li 112 bigere.
contact-message-label = Peyama te
contact-reply-language-label = Tu bersiva me bi kîjan zimanî dixwazî?
contact-honeypot-label = Vê qadê vala bihêle
contact-before-send = Dema ku tu peyama xwe bişînî, tu ê kodekê werbigirî. Ji bo xwendina bersiva me pêwîstiya te bi vê kodê heye.
contact-submit = Bişîne

## Kod

code-heading = Koda te
code-urgent-heading = Te nivîsî ku tu di xetereyê de yî
code-sent = Peyama te hat şandin. Ji bo xwendina bersiva me vê kodê bi kar bîne:
code-keep-heading = Tu çawa koda xwe biparêzî
code-keep-write = Niha wê li cihekî binivîse ku tenê tu dikarî bibînî. Tu ê kodê tenê vê carê bibînî.
code-keep-shared = Wê li ser telefon an komputerekê ku kesekî din dikare lê binêre tomar neke.
code-keep-anyone = Her kesê ku kod hebe dikare hemû axaftinê bixwîne. Nîşanî tu kesî nede.
code-keep-lost = Em nizanin tu kî yî, ji ber vê yekê em nikarin kodê dîsa bidin te. Heke tu wê winda bikî, tu dikarî dîsa ji me re binivîsî û kodeke nû werbigirî.
code-return-heading = Ez kengî vegerim?
code-return-when = Em bi gelemperî di nav çend rojên kar de bersiv didin.
code-return-how = Here rûpela destpêkê û kodê di bin "Koda te berê heye?" de binivîse.
code-check-heading = Koda xwe kontrol bike

## Axaftin

thread-heading = Axaftina te
thread-sent = Peyama te hat şandin.
thread-previous-open = Berî vê serdanê, axaftin cara dawî hat vekirin:
thread-previous-open-not-you = Ne tu bûyî? Wê demê dibe ku kesekî din koda te dizane. Axaftinê li jêrê vê rûpelê jê bibe û ji bo kodeke nû dîsa ji me re binivîse.
thread-first-open = Ev cara yekem e ku axaftin bi koda te tê vekirin.
thread-messages-heading = Peyam
thread-empty = Hîn peyam tune ne.
thread-author-me = Tu
thread-author-staff = { $name }, ji navendê
thread-author-centre = Navend
thread-delivered = Navendê ev wergirt
thread-not-delivered = Navendê ev hîn wernegirtiye
thread-answer-time = Em bi gelemperî di nav çend rojên kar de bersiv didin. Ji bo xwendina bersiva me bi koda xwe vegere.
thread-write-heading = Dîsa binivîse
thread-message-label = Peyama te ya nû
thread-send = Bişîne
thread-delete-heading = Axaftinê jê bibe
thread-delete-text = Tu dikarî axaftinê kengî bixwazî ji vê malperê jê bibî. Wê demê koda te êdî naxebite.
thread-delete-button = Axaftina min jê bibe
thread-leave = Dema ku te kar qedand, pencereyê bigire an jî bişkoja "Zû ji vê rûpelê derkeve" ya li jorê bi kar bîne.

## Jêbirin

burn-confirm-heading = Axaftin were jêbirin?
burn-confirm-everything = Axaftin ji vê malperê tê jêbirin: hem tiştê ku te nivîsî hem jî bersivên me.
burn-confirm-code = Koda te êdî naxebite.
burn-confirm-centre = Ji me re tê gotin ku te axaftin jê biriye. Dibe ku em tiştê ku berê gihîştiye me biparêzin, ji ber ku divê em qaîdeyên tomarkirinê bişopînin.
burn-confirm-undo = Ev nayê vegerandin.
burn-confirm-button = Erê, axaftinê jê bibe
burned-heading = Axaftina te hat jêbirin
burned-text = Kod êdî naxebite. Ji me re hat gotin ku te axaftin jê biriye.
burned-again = Tu her tim dikarî dîsa ji me re binivîsî. Tu ê kodeke nû werbigirî.

## Rûpelên şaşiyê

error-bad-request-heading = Tiştê ku te şand nehat xwendin
error-bad-request-text = Dema şandinê tiştek xelet çû. Ji kerema xwe ji rûpela destpêkê dîsa dest pê bike.
error-not-found-heading = Rûpel nehat dîtin
error-not-found-text = Dibe ku navnîşan şaş hatibe nivîsîn, an jî rûpel êdî tune be.
error-method-heading = Ev rûpel bi vî awayî venabe
error-method-text = Ev rûpel tenê dema ku formek tê şandin tê bikaranîn. Ji kerema xwe ji rûpela destpêkê dîsa dest pê bike.
error-forbidden-heading = Form nehat qebûlkirin
error-forbidden-text = Ji bo ewlehiya te, em tenê formên ku ji rûpelên me tên şandin qebûl dikin. Vegere rûpela destpêkê û dîsa biceribîne.
error-expired-heading = Dema vê rûpelê derbas bû
error-expired-text = Ji bo ewlehiya te, rûpel piştî demekê naxebitin. Ji kerema xwe ji rûpela destpêkê dîsa dest pê bike. Heke te axaftina xwe dixwend, koda xwe dîsa binivîse.
error-too-large-heading = Tiştê ku te şand pir dirêj bû
error-too-large-text = Vegere, peyama xwe kurt bike û dîsa biceribîne.
error-rate-limited-heading = Pir hewl
error-rate-limited-text = Çend deqeyan bisekine, paşê dîsa biceribîne.
error-busy-heading = Malper niha pir qelebalix e
error-busy-text = Ji kerema xwe piştî çend deqeyan dîsa biceribîne.
error-internal-heading = Li aliyê me tiştek xelet çû
error-internal-text = Ji kerema xwe piştî demekê dîsa biceribîne. Heke te kodek an nivîsek ku dibêje peyama te hat şandin nedît, peyam nehatiye şandin.
error-code-not-found-heading = Axaftin nehat vekirin
error-code-not-found = Em bi vê kodê axaftinekê nabînin. Kontrol bike ku te rast nivîsiye. Heke axaftinek demekê neyê bikaranîn, an kesê ku nivîsiye wê jê bibe, tê jêbirin. Tu her tim dikarî dîsa ji me re binivîsî û kodeke nû werbigirî.

## Bawerî, ewlehî û rûpelên agahiyê

draft-note = Ev werger hîn ji aliyê kesekî ku zimanê wî yê dayikê Kurmancî ye ve nehatiye kontrolkirin, ji ber vê yekê dibe ku şaşî tê de hebin.
landing-quick-heading = Zû derkeve, ewle bimîne
landing-quick-exit = Bişkoja sor "Zû ji vê rûpelê derkeve" her tim li jorê ekranê ye. Ew te rasterast dibe malpereke din. Paşê tabê bigire.
landing-quick-safety = Tu telefon an komputera xwe bi kesekî re parve dikî, an kesek wê kontrol dike? Tu çawa bi ewlehî serdana me bikî
landing-trust-heading = Ez dikarim bi we bawer bikim?
landing-trust-organiser = Navend ji aliyê { $organiser } ve tê birêvebirin.
landing-trust-confidential = Her kesê ku li vir dixebite bi qanûnê erka veşartina nehêniyê (tystnadsplikt) heye. Em tiştê ku tu ji me re dibêjî, ji bilî rewşa li jêr, bêyî razîbûna te nadin kesî.
landing-trust-under-18 = Heke tu ji 18 salî biçûktir î û em fêr bibin tu kî yî û zirarê dibînî, qanûn dibêje divê em ji karûbarên civakî re bibêjin.
landing-trust-ip = Em tu carî navnîşana IP ya te an cihê te nabînin. Em tenê tiştê ku tu dinivîsî dibînin.
landing-trust-reply = Em peyaman di rojên kar de dixwînin û bi gelemperî di nav { $days } rojên kar de bersiv didin.
landing-trust-expiry = Heke { $days } rojan kes axaftinekê venake an tê de nenivîse, ew tê jêbirin.
landing-other-heading = Rêyên din ên gihîştina me
landing-other-phone = Telefon:
landing-other-sms = Peyama kurt (SMS):
landing-more-heading = Bêtir bixwîne
landing-more-info = Şîdeta bi navê namûsê, zewaca bi zorê, mafên te û tiştê ku dema tu ji me re dinivîsî diqewime
helpline-young = { $name }, ji bo her kesê ku ji 18 salî biçûktir e.
helpline-women = { $name }, ji bo jinan û nêzîkên wan.
helpline-boys-and-men = { $name }, ji bo kur û mêran jî.
helpline-lgbtq = { $name }, ji bo kesên LGBTQ+.
helpline-stop-violence = { $name }, ji bo kesên ku şîdetê bi kar tînin û dixwazin dev jê berdin.
helpline-professionals = { $name }, ji bo pisporan.
helpline-everyone = { $name }, ji bo her kesî.
hours-always = Şev û roj vekirî ye.
hours-weekdays = Duşem heta În
hours-every-day = Her roj
line-free = Gerîn belaş e.
line-off-bill = Li ser fatûreya telefonê xuya nabe.
line-free-off-bill = Belaş e û li ser fatûreya telefonê xuya nabe.
info-fallback-note = Ev rûpel hîn bi Kurmancî tune ye, ji ber vê yekê bi swêdî tê nîşandan.
info-index-link = Hemû rûpelên agahiyê
thread-new-reply = Bersiveke nû ji navendê ji te re hat.

## Forms that keep nothing for whoever comes after: opening forms, the code page, timed-out pages

landing-return-button = Axaftina min veke
return-timed-out = Ji bo parastina te, rûpela axaftinê piştî { $minutes } deqeyan naxebite. Koda xwe dîsa binivîse. Tiştê ku te nivîsî hê li jêr e û dema axaftin vebe tê şandin.
return-message-label = Tiştê ku te nivîsî (dema axaftin vebe tê şandin)
contact-code-ahead = Dema tu bişînî, tu ê kodeke { $digits } hejmarî bistînî. Kaxez û pênûsê amade bike.
code-check-how = Kodê ji nota xwe binivîse da ku tu piştrast bibî ku te rast nivîsandiye.
code-check-submit = Kodê kontrol bike
code-check-differs-at = Tiştê ku te nivîsî li cihê { $positions } ji kodê cuda ye. Hejmarên cuda hatine nîşankirin.
code-check-you-wrote = Te nivîsî:
code-checked-heading = Te kod rast nivîsandiye
code-checked-text = Koda li ser nota te rast e. Wê li cihekî ku kesekî din lê nanêre veşêre.
code-gone-heading = Kod nayê nîşandan careke din
code-gone-text = Ji bo ewlehiya te, kod tenê li ser rûpela ku yekser piştî nivîsandina te ji me re tê nîşan dide. Heke te ew nivîsandibe, tu dikarî bi kar bînî. Heke na, tu dikarî dîsa ji me re binivîsî û kodeke nû bistînî.
code-leave-heading = Berî ku tu ji vê rûpelê derkevî
code-leave-text = Kod careke din nayê nîşandan. Te ew nivîsandiye?
code-leave-link = Erê, min kod nivîsandiye – here rûpela destpêkê
thread-session-time = Ev rûpel piştî vekirin an şandina tiştekî { $minutes } deqeyan dixebite. Piştre koda xwe dîsa binivîse – tiştê ku te nivîsî winda nabe.
burn-confirm-no = Na, axaftinê bihêle
error-code-form-expired = Rûpel pir dirêj vekirî ma û êdî naxebite. Ji bo ewlehiya te kod careke din nayê nîşandan. Ji kerema xwe dîsa binivîse.
error-code-check-differs = Koda ku te nivîsî bi koda te re li hev nayê. Hejmarên nîşankirî bide ber hev.
