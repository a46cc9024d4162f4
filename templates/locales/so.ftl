# STATUS: draft — awaits review by a native speaker before production use
# Soomaali (so). Isla furayaasha sv.ftl, ma badna ma yara.
# Jumlado gaagaaban oo fudud, "adiga" (kelinimo). Lambarada (112 iyo kuwa kale) waa sida taleefanka ugu qoran yihiin.
# HTML halkan ma jiro.

## Qaabka bog kasta

exit-link = Si degdeg ah uga bax boggan
skip-link = U gudub qoraalka
language-nav = Dooro luqadda
footer-note = Boggan ma isticmaalo cookies iyo scripts. Waxba kama kaydiyo waxa aad qorto browser-kaaga.
home-link = Tag bogga hore

## Lambarada degdegga

emergency-heading = Khatar ma ku jirtaa?
emergency-call-112 = Hadda khatar ma ku jirtaa? Ama qof kale ma ku jiraa khatar? Wac 112.
emergency-short = Hadda khatar ma ku jirtaa? Wac 112.
number-112 = Lambarka degdegga marka ay khatar jirto hadda: booliska, ambalaaska iyo dab-demiska.
number-police = Booliska marka aysan arrintu degdeg ahayn, tusaale ahaan si aad dambi u soo sheegto ama aad talo u hesho.
number-bris = BRIS, haddii aad ka yar tahay 18 sano.
number-kvinnofrid = Kvinnofridslinjen, khad taageero oo loogu talagalay haweenka la kulma hanjabaad iyo rabshad, iyo qaraabadooda. Waa lacag la'aan, waxayna furan tahay 24 saac.
number-health = Vårdguiden, talo caafimaad 24 saac.

## Khaladaadka foomka

error-summary-heading = Wax baa u baahan in la saxo
error-prefix = Khalad:
error-field-generic = Hubi qaybtan.
error-group-missing = Dooro midka sida ugu fiican kuu qeexaya.
error-message-empty = Qor fariin.
error-message-too-long = Fariintaadu aad bay u dheer tahay. Soo gaabi si aysan uga badan { $max } xaraf.
error-language-unknown = Dooro luqadda aad rabto in lagugu jawaabo.
error-code-empty = Qor koodkaaga.
error-code-format = Qor koodka oo dhan, sida saxda ah ee aad u heshay. Koodku waa nambaro keliya.
error-code-typo = Koodka waxaa ku jira qalad qoraal. Hubi nambarada oo mar kale isku day.
error-form-expired = Waqti badan ayaa qaatay, sidaas darteed foomku wuu dhacay. Fariintaada weli lama dirin. Qoraalkaagu weli halkan hoose ayuu yaal. Mar kale riix “Dir”.
error-form-already-sent = Foomkan horay ayaa loo diray. Haddii aadan helin kood, mar kale qor farriintaada oo dir.
error-form-invalid = Foomka lama isticmaali karin, waxaa laga yaabaa inuu muddo dheer furnaa. Ammaankaaga awgeed, waxaad qortay dib looma muujinayo. Fadlan mar kale buuxi foomka.
error-rate-limited = Isku dayo badan ayaa dhacay waqti gaaban gudihiis. Sug dhowr daqiiqo, kadibna mar kale isku day.
error-busy = Boggu hadda aad buu u mashquul yahay, sidaas darteed fariintaada weli lama dirin. Qoraalkaagu weli halkan hoose ayuu yaal. Wax yar sug, kadibna mar kale riix “Dir”.
error-internal = Khalad ayaa dhinaceenna ka dhacay, sidaas darteed fariintaada lama dirin. Qoraalkaagu weli halkan hoose ayuu yaal. Mar kale isku day wax yar kadib.
message-hint = Ugu badnaan { $max } xaraf.

## Bogga hore

landing-heading = Taageero ka dhan ah rabshadaha iyo dulmiga la xiriira sharafta
landing-intro = Waxaan talo iyo taageero siinnaa adiga oo la nool rabshad, hanjabaad ama xakameyn la xiriirta sharafta. Waxaan sidoo kale kuu joognaa haddii aad ka walwalsan tahay qof kale, ama haddii aad arrintan kula kulanto shaqadaada. Waxaan kaa caawin karnaa inaad la xiriirto adeegga bulshada (sooshalka), booliska iyo daryeelka caafimaadka.
landing-anonymous = Waxaad noo soo qori kartaa adiga oo aan magacaaga sheegin. Ma weydiinno cidda aad tahay.
landing-write = Noo soo qor
landing-return-heading = Ma haysataa kood horey?
return-code-label = Koodkaaga
return-code-hint = Koodka aad heshay markii aad noo soo qortay. Meelaha bannaan muhiim ma aha.
return-submit = Akhri wada-hadalka
landing-safety-onion = Tor Browser-ka waxaad sidoo kale nagu heli kartaa cinwaankeenna onion:

## Foomka xiriirka

contact-heading = Noo soo qor
contact-intro = Uma baahnid inaad qorto magacaaga ama wax kale oo muujinaya cidda aad tahay. Qor waxa aad rabto inaad noo sheegto.
contact-group-legend = Maxaa sida ugu fiican kuu qeexaya?
group-exposed = Aniga laftayda ayaa la kulma rabshad, hanjabaad ama xakameyn
group-relative = Waxaan ka walwalsanahay qof kale: qaraabo, saaxiib ama lammaane
group-used-violence = Qof ayaan ku sameeyay rabshad ama xakameyn, waxaanan doonayaa inaan joojiyo
group-professional = Shaqadayda ayaan arrintan kula kulmaa, waxaanan doonayaa la-tashi
group-other = Wax kale
contact-urgent-label = Hadda khatar baan ku jiraa
contact-urgent-hint = Had iyo jeer si degdeg ah uma jawaabi karno. Hadda khatar ma ku jirtaa? Wac 112.
contact-message-label = Fariintaada
contact-reply-language-label = Luqaddee ayaad rabtaa in lagugu jawaabo?
contact-honeypot-label = Qaybtan bannaan u daa
contact-before-send = Markaad dirto, waxaad heleysaa kood. Koodka ayaad u baahan tahay si aad u akhrido jawaabteenna.
contact-submit = Dir

## Koodka

code-heading = Koodkaaga
code-urgent-heading = Waxaad qortay inaad khatar ku jirto
code-sent = Fariintaada waa la diray. Koodkan ayaad ku akhrin kartaa jawaabteenna:
code-keep-heading = Sida loo kaydiyo koodka
code-keep-write = Hadda qor, meel adiga keliya aad arki karto. Koodka hal mar oo keliya ayaa lagu tusayaa.
code-keep-shared = Ha ku kaydin taleefan ama kombiyuutar uu qof kale eegi karo.
code-keep-anyone = Qof kasta oo haysta koodka wuu akhrin karaa wada-hadalka oo dhan. Qofna ha tusin.
code-keep-lost = Ma naqaanno cidda aad tahay. Sidaas darteed koodka mar kale kuma siin karno. Haddii uu kaa lumo, mar kale ayaad noo soo qori kartaa oo kood cusub heli kartaa.
code-return-heading = Goorma ayaan soo noqdaa?
code-return-when = Badanaa waxaan ku jawaabnaa dhowr maalmood oo shaqo gudahood.
code-return-how = Tag bogga hore oo koodka ku qor meesha “Ma haysataa kood horey?”.
code-check-heading = Hubi koodka

## Wada-hadalka

thread-heading = Wada-hadalkaaga
thread-sent = Fariintaada waa la diray.
thread-previous-open = Markii ugu dambeysay ee wada-hadalka la furay booqashadan ka hor:
thread-previous-open-not-you = Adigu ma ahayn? Markaas qof kale ayaa laga yaabaa inuu yaqaan koodkaaga. Hoos ka tirtir wada-hadalka, oo mar kale noo soo qor si aad u hesho kood cusub.
thread-first-open = Tani waa markii ugu horreysay ee wada-hadalka lagu furo koodkaaga.
thread-messages-heading = Fariimaha
thread-empty = Weli fariimo ma jiraan.
thread-author-me = Adiga
thread-author-staff = { $name }, xarunta
thread-author-centre = Xarunta
thread-delivered = Xaruntu way heshay
thread-not-delivered = Xaruntu weli ma helin
thread-answer-time = Badanaa waxaan ku jawaabnaa dhowr maalmood oo shaqo gudahood. Koodkaaga la soo noqo si aad u akhrido jawaabta.
thread-write-heading = Mar kale qor
thread-message-label = Fariintaada cusub
thread-send = Dir
thread-delete-heading = Tirtir wada-hadalka
thread-delete-text = Waxaad tirtiri kartaa wada-hadalka goor kasta oo aad rabto. Markaas koodku ma shaqeynayo.
thread-delete-button = Tirtir wada-hadalkayga
thread-leave = Markaad dhammeyso, xir daaqadda ama isticmaal badhanka “Si degdeg ah uga bax boggan” ee kor ku yaal.

## Tirtirid

burn-confirm-heading = Ma tirtiraysaa wada-hadalka?
burn-confirm-everything = Wada-hadalka waa laga tirtirayaa boggan, waxa aad qortay iyo jawaabaheennaba.
burn-confirm-code = Koodkaagu mar dambe ma shaqeyn doono.
burn-confirm-centre = Annaga oo xarunta jooga waxaan ogaan doonnaa inaad tirtirtay wada-hadalka. Waxa aan horey u helnay waxaa laga yaabaa inuu nala joogo, maxaa yeelay waa inaan raacno xeerarka diiwaangelinta.
burn-confirm-undo = Tan dib looma celin karo.
burn-confirm-button = Haa, tirtir wada-hadalka
burned-heading = Wada-hadalkaaga waa la tirtiray
burned-text = Koodku mar dambe ma shaqeeyo. Annaga oo xarunta jooga waxaan ogaanay inaad tirtirtay wada-hadalka.
burned-again = Goor kasta waad noo soo qori kartaa mar kale. Markaas waxaad heleysaa kood cusub.

## Bogagga khaladka

error-bad-request-heading = Waxa aad soo dirtay lama akhriyi karin
error-bad-request-text = Wax baa khaldamay markii la dirayay. Ka bilow bogga hore.
error-not-found-heading = Boggan ma jiro
error-not-found-text = Cinwaanka ayaa laga yaabaa in si khalad ah loo qoray, ama boggu mar dambe ma jiro.
error-method-heading = Boggan sidan looma furi karo
error-method-text = Boggan waxaa la isticmaalaa oo keliya marka foom la dirayo. Ka bilow bogga hore.
error-forbidden-heading = Foomka lama aqbali karin
error-forbidden-text = Ammaankaaga dartiis, waxaan aqbalnaa oo keliya foomamka laga soo diro boggaggeenna. Ka bilow bogga hore oo mar kale isku day.
error-expired-heading = Boggu wuu dhacay
error-expired-text = Ammaankaaga dartiis, boggaggu way joogsadaan inay shaqeeyaan muddo kadib. Ka bilow bogga hore. Haddii aad akhrinaysay wada-hadalkaaga, mar kale qor koodkaaga.
error-too-large-heading = Waxa aad soo dirtay aad buu u dheeraa
error-too-large-text = Dib u noqo, fariintaada soo gaabi, oo mar kale isku day.
error-rate-limited-heading = Isku dayo aad u badan
error-rate-limited-text = Sug dhowr daqiiqo, kadibna mar kale isku day.
error-busy-heading = Boggu hadda wuu mashquul yahay
error-busy-text = Mar kale isku day dhowr daqiiqo kadib.
error-internal-heading = Khalad ayaa dhinaceenna ka dhacay
error-internal-text = Mar kale isku day wax yar kadib. Haddii aadan arkin kood ama fariin sheegaysa in fariintaada la diray, lama dirin.
error-code-not-found-heading = Wada-hadalka lama furi karin
error-code-not-found = Ma helin wada-hadal leh koodkan. Hubi inaad si sax ah u qortay. Wada-hadal waa la tirtiraa haddii aan muddo la isticmaalin, ama haddii qofkii qoray uu tirtiro. Had iyo jeer waad noo soo qori kartaa mar kale oo kood cusub heli kartaa.


## Forms that keep nothing for whoever comes after: opening forms, the code page, timed-out pages

landing-return-button = Fur wadahadalkayga
return-timed-out = Si lagu ilaaliyo, bogga wadahadalku wuu joogsadaa { $minutes } daqiiqo kadib. Mar kale geli koodhkaaga. Waxaad qortay weli hoos ayuu ku jiraa, waana la diri doonaa marka wadahadalku furmo.
return-message-label = Waxaad qortay (waa la dirayaa marka wadahadalku furmo)
contact-code-ahead = Markaad dirto waxaad heli doontaa koodh ka kooban { $digits } tiro. Diyaarso warqad iyo qalin.
code-check-how = Ku qor koodhka warqaddaada si aad u hubiso inaad si sax ah u qortay.
code-check-submit = Hubi koodhka
code-check-differs-at = Waxaad qortay way ka duwan tahay koodhka meesha { $positions }. Tirooyinka kala duwan waa la calaamadeeyay.
code-check-you-wrote = Waxaad qortay:
code-checked-heading = Koodhka si sax ah ayaad u qortay
code-checked-text = Koodhka warqaddaada ku qoran waa sax. Ku hay meel aan qof kale eegin.
code-gone-heading = Koodhka mar kale lama muujin karo
code-gone-text = Amnigaaga darteed, koodhka waxaa lagu muujiyaa oo keliya bogga yimaada isla markaad noo qorto. Haddii aad qortay, waad isticmaali kartaa. Haddii kale, mar kale noo qor oo hel koodh cusub.
code-leave-heading = Ka hor intaadan bogga ka bixin
code-leave-text = Koodhka mar kale lama muujin doono. Ma qortay?
code-leave-link = Haa, koodhka waan qortay – u gudub bogga hore
thread-session-time = Boggani wuxuu shaqeeyaa { $minutes } daqiiqo kadib markaad furto ama wax dirto. Kadib mar kale geli koodhkaaga – waxaad qortay waxba kama lumayaan.
burn-confirm-no = Maya, hay wadahadalka
error-code-form-expired = Boggu muddo dheer ayuu furnaa wuuna joogsaday. Amnigaaga darteed koodhka mar kale lama muujinayo. Fadlan mar kale geli.
error-code-check-differs = Koodhka aad qortay kuma eka koodhkaaga. Is barbar dhig tirooyinka la calaamadeeyay.

## Kalsoonida, badbaadada iyo bogagga macluumaadka

draft-note = Tarjumaddan weli ma hubin qof afka Soomaaliga ku hadla, sidaa darteed waxaa laga yaabaa inay khaladaad leedahay.
landing-quick-heading = Si degdeg ah uga bax, badbaado
landing-quick-exit = Badhanka cas ee “Si degdeg ah uga bax boggan” had iyo jeer wuxuu ku yaallaa sare ee shaashadda. Wuxuu si toos ah kuu geeyaa bog kale. Kadib xir tabka.
landing-quick-safety = Ma la wadaagtaa telefoonkaaga ama kombiyuutarkaaga, mise qof ayaa hubiya? Sida aad noogu soo booqan karto si ammaan ah
landing-trust-heading = Ma idinku kalsoonaan karaa?
landing-trust-organiser = Xarunta waxaa maamula { $organiser }.
landing-trust-confidential = Qof kasta oo halkan ka shaqeeya sharci ahaan waa inuu sir hayaa (tystnadsplikt). Ma gudbinno waxaad noo sheegto haddii aadan oggolaan, marka laga reebo xaaladda hoos ku qoran.
landing-trust-under-18 = Haddii aad ka yar tahay 18 sano oo aan ogaanno cidda aad tahay iyo in lagu dhibaateynayo, sharcigu wuxuu leeyahay waa inaan u sheegno adeegga bulshada.
landing-trust-ip = Waligeen ma aragno cinwaankaaga IP-ga ama meesha aad joogto. Waxaan aragnaa oo keliya waxaad qorto.
landing-trust-reply = Fariimaha waxaan akhrinnaa maalmaha shaqada, badanaana waxaan ku jawaabnaa { $days } maalmood oo shaqo gudahood.
landing-trust-expiry = Haddii aan qofna furin ama wax ku qorin wada-hadal muddo { $days } maalmood ah, waa la tirtiraa.
landing-other-heading = Siyaabo kale oo nalagula soo xiriiro
landing-other-phone = Telefoon:
landing-other-sms = Fariin qoraal ah (SMS):
landing-more-heading = Wax badan akhri
landing-more-info = Rabshadaha la xiriira sharafta, guurka qasabka ah, xuquuqdaada iyo waxa dhaca marka aad noo soo qorto
helpline-young = { $name }, qof kasta oo ka yar 18 sano.
helpline-women = { $name }, haweenka iyo dadka u dhow.
helpline-boys-and-men = { $name }, sidoo kale wiilasha iyo ragga.
helpline-lgbtq = { $name }, dadka LGBTQ+.
helpline-stop-violence = { $name }, dadka rabshad adeegsada oo doonaya inay joojiyaan.
helpline-professionals = { $name }, shaqaalaha xirfadlayaasha ah.
helpline-everyone = { $name }, qof kasta.
hours-always = Waa furan yahay habeen iyo maalin.
hours-weekdays = Isniin ilaa Jimce
hours-every-day = Maalin kasta
line-free = Wicitaanku waa bilaash.
line-off-bill = Kama muuqdo biilka telefoonka.
line-free-off-bill = Waa bilaash, kamana muuqdo biilka telefoonka.
info-fallback-note = Boggan weli laguma hayo Af-Soomaali, sidaa darteed waxaa lagu muujinayaa Iswiidhish.
info-index-link = Dhammaan bogagga macluumaadka
thread-new-reply = Jawaab cusub ayaa xarunta kaaga timid.
