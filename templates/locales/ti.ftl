# STATUS: draft — awaits review by a native speaker before production use
# ትግርኛ (ti)፣ ፊደል ግዕዝ። ከምቲ sv.ftl ዘለዉ መፍትሕታት ጥራይ፣ ዘይውስኽ ዘይጎድል።
# ሓጺርን ቀሊልን ምሉእ ሓሳብ። ንኹሉ ብብዙሕ/ኽብሪ ("ንስኹም") ንዛረብ፣ ስለዚ ትእዛዛት ብጾታ ኣይፈላለዩን።
# ቁጽርታት (112 ካልኦትን) ከምቲ ኣብ ተሌፎን ዘሎ ብላቲን ኣሃዛት። HTML የለን።

## ኣብ ነፍሲ ወከፍ ገጽ

exit-link = ብቕልጡፍ ካብዚ ገጽ ውጹ
skip-link = ናብ ትሕዝቶ ኪዱ
language-nav = ቋንቋ ምረጹ
footer-note = እዚ ወብሳይት ኩኪስን ስክሪፕትን ኣይጥቀምን። ካብቲ እትጽሕፍዎ ዋላ ሓንቲ ኣብ ብራውዘርኩም ኣይዕቅብን።
home-link = ናብ መእተዊ ገጽ ተመለሱ

## ቁጽርታት ህጹጽ ረድኤት

emergency-heading = ኣብ ሓደጋ ዲኹም ዘለኹም?
emergency-call-112 = ሕጂ ኣብ ሓደጋ ዲኹም ዘለኹም? ወይ ካልእ ሰብ ኣብ ሓደጋ ኣሎ? ናብ 112 ደውሉ።
emergency-short = ሕጂ ኣብ ሓደጋ ዲኹም ዘለኹም? ናብ 112 ደውሉ።
number-112 = ሕጂ ሓደጋ ምስ ዘሎ ዝድወል ቁጽሪ፦ ፖሊስ፣ ኣምቡላንስን መጥፍእቲ ሓዊን።
number-police = ፖሊስ ህጹጽ ኣብ ዘይኮነሉ ግዜ፣ ንኣብነት ገበን ንምሕባር ወይ ምኽሪ ንምርካብ።
number-bris = BRIS፣ ዕድሜኹም ትሕቲ 18 ዓመት እንተኾይኑ።
number-kvinnofrid = Kvinnofridslinjen፣ ምፍራራሕን ዓመጽን ንዘጋጥመን ደቂ ኣንስትዮን ንቤተሰበንን ዝሕግዝ መስመር ተሌፎን። ብነጻ፣ 24 ሰዓት ክፉት።
number-health = Vårdguiden፣ 24 ሰዓት ምኽሪ ጥዕና።

## ጌጋታት ኣብ ፎርም

error-summary-heading = ክእረም ዘለዎ ነገር ኣሎ
error-prefix = ጌጋ፦
error-field-generic = ነዚ ቦታ ኣረጋግጹ።
error-group-missing = ብዝበለጸ ዝገልጸኩም ምረጹ።
error-message-empty = መልእኽቲ ጽሓፉ።
error-message-too-long = መልእኽትኹም ኣዝዩ ነዊሕ እዩ። ካብ { $max } ፊደላት ከይበዝሐ ኣሕጽርዎ።
error-language-unknown = መልሲ ብኣየናይ ቋንቋ ክንህበኩም ከም እትደልዩ ምረጹ።
error-code-empty = ኮድኩም ጽሓፉ።
error-code-format = ነቲ ኮድ ምሉእ ብምሉእ፣ ከምቲ ዝረኸብኩምዎ ጽሓፉ። እቲ ኮድ ቁጽርታት ጥራይ እዩ።
error-code-typo = ኣብቲ ኮድ ናይ ጽሕፈት ጌጋ ኣሎ። ቁጽርታት ኣረጋጊጽኩም እንደገና ፈትኑ።
error-form-expired = ነዊሕ ግዜ ስለ ዝወሰደ፣ ግዜ እቲ ፎርም ሓሊፉ። መልእኽትኹም ገና ኣይተላእከን። ጽሑፍኩም ኣብ ታሕቲ ኣሎ። እንደገና «ስደዱ» ጠውቑ።
error-form-already-sent = እዚ ቅጥዒ ድሮ ተላኢኹ እዩ። ኮድ እንተዘይረኺብኩም፡ መልእኽትኹም እንደገና ጽሓፉ እሞ ስደዱ።
error-form-invalid = እዚ ቅጥዒ ክጥቀመሉ ኣይተኻእለን፡ ምናልባት ንነዊሕ እዋን ክፉት ስለ ዝጸንሐ። ንድሕነትኩም፡ ዝጸሓፍኩሞ ደጊሙ ኣይርአን እዩ። በጃኹም ነቲ ቅጥዒ እንደገና ምልኡ።
error-rate-limited = ኣብ ሓጺር ግዜ ብዙሕ ፈተነታት ተገይሩ። ቁሩብ ደቓይቕ ተጸበዩ፣ ድሕሪኡ እንደገና ፈትኑ።
error-busy = እቲ ወብሳይት ሕጂ ብዙሕ ጸቕጢ ስለ ዘለዎ፣ መልእኽትኹም ገና ኣይተላእከን። ጽሑፍኩም ኣብ ታሕቲ ኣሎ። ቁሩብ ተጸበዩ፣ ድሕሪኡ እንደገና «ስደዱ» ጠውቑ።
error-internal = ኣብ ወገንና ጸገም ስለ ዘጋጠመ፣ መልእኽትኹም ኣይተላእከን። ጽሑፍኩም ኣብ ታሕቲ ኣሎ። ድሕሪ ቁሩብ እንደገና ፈትኑ።
message-hint = ካብ { $max } ፊደላት ዘይበዝሕ።

## መእተዊ ገጽ

landing-heading = ኣንጻር ምስ ክብሪ ዝተኣሳሰረ ዓመጽን ጭቆናን ደገፍ
landing-intro = ምስ ክብሪ ዝተኣሳሰረ ዓመጽ፣ ምፍራራሕ ወይ ቍጽጽር ኣብ ህይወትኩም እንተሎ፣ ምኽርን ደገፍን ንህበኩም። ብዛዕባ ካልእ ሰብ እንተ ተሻቒልኩም፣ ወይ ኣብ ስራሕኩም ነዚ ጉዳይ እንተ ኣጋጢሙኩም'ውን ንሕግዘኩም። ምስ ማሕበራዊ ኣገልግሎት (ሶስያል)፣ ፖሊስን ክንክን ጥዕናን ክትራኸቡ ክንሕግዘኩም ንኽእል።
landing-anonymous = ስምኩም ከይገለጽኩም ክትጽሕፉልና ትኽእሉ ኢኹም። መን ምዃንኩም ኣይንሓትን።
landing-write = ጽሓፉልና
landing-return-heading = ድሮ ኮድ ኣለኩም ድዩ?
return-code-label = ኮድኩም
return-code-hint = ክትጽሕፉልና ከለኹም ዝረኸብኩምዎ ኮድ። ባዶ ቦታታት ጸገም የብሉን።
return-submit = ዝርርብ ኣንብቡ
landing-safety-onion = ኣብ Tor Browser ብ onion ኣድራሻና'ውን ክትረኽቡና ትኽእሉ ኢኹም፦

## ፎርም ርክብ

contact-heading = ጽሓፉልና
contact-intro = ስምኩም ወይ መን ምዃንኩም ዘርኢ ካልእ ነገር ክትጽሕፉ ኣየድልየኩምን። ክትነግሩና እትደልይዎ ጽሓፉ።
contact-group-legend = ኣየናይ ብዝበለጸ ይገልጸኩም?
group-exposed = ባዕለይ ዓመጽ፣ ምፍራራሕ ወይ ቍጽጽር የጋጥመኒ ኣሎ
group-relative = ብዛዕባ ካልእ ሰብ እሻቐል ኣለኹ፦ ቤተሰብ፣ ዓርኪ ወይ መጻምድቲ
group-used-violence = ኣብ ልዕሊ ሓደ ሰብ ዓመጽ ወይ ቍጽጽር ፈጺመ፣ ከቋርጾ እደሊ
group-professional = ኣብ ስራሐይ ነዚ ጉዳይ የጋጥመኒ፣ ምኽሪ እደሊ
group-other = ካልእ
contact-urgent-label = ሕጂ ኣብ ሓደጋ እየ ዘለኹ
contact-urgent-hint = ኩሉ ግዜ ቀልጢፍና ክንምልስ ኣይንኽእልን ኢና። ሕጂ ኣብ ሓደጋ ዲኹም ዘለኹም? ናብ 112 ደውሉ።
contact-message-label = መልእኽትኹም
contact-reply-language-label = መልሲ ብኣየናይ ቋንቋ ትደልዩ?
contact-honeypot-label = ነዚ ቦታ ባዶ ግደፍዎ
contact-before-send = ምስ ለኣኽኩም ኮድ ክትረኽቡ ኢኹም። መልስና ንምንባብ እቲ ኮድ የድልየኩም።
contact-submit = ስደዱ

## ኮድ

code-heading = ኮድኩም
code-urgent-heading = ኣብ ሓደጋ ከም ዘለኹም ጽሒፍኩም
code-sent = መልእኽትኹም ተላኢኹ ኣሎ። በዚ ኮድ መልስና ከተንብቡ ትኽእሉ፦
code-keep-heading = ነቲ ኮድ ብኸመይ ትዕቅብዎ
code-keep-write = ሕጂ ንስኹም ጥራይ ክትርእይዎ ኣብ እትኽእሉ ቦታ ጽሓፍዎ። እቲ ኮድ ሓንሳብ ጥራይ እዩ ዝርአ።
code-keep-shared = ካልእ ሰብ ክርእዮ ኣብ ዝኽእል ተሌፎን ወይ ኮምፒተር ኣይትዕቀብዎ።
code-keep-anyone = እቲ ኮድ ዘለዎ ዝኾነ ሰብ ነቲ ዝርርብ ብምሉኡ ከንብቦ ይኽእል። ንዝኾነ ሰብ ኣየርእይዎ።
code-keep-lost = መን ምዃንኩም ኣይንፈልጥን ኢና። ስለዚ ነቲ ኮድ እንደገና ክንህበኩም ኣይንኽእልን። እንተ ጠፊኡኩም፣ እንደገና ጽሒፍኩምልና ሓድሽ ኮድ ክትረኽቡ ትኽእሉ።
code-return-heading = መዓስ ክምለስ?
code-return-when = መብዛሕትኡ ግዜ ኣብ ውሽጢ ገለ መዓልታት ስራሕ ንምልስ።
code-return-how = ናብ መእተዊ ገጽ ከይድኩም፣ ኣብ ትሕቲ «ድሮ ኮድ ኣለኩም ድዩ?» ነቲ ኮድ ጽሓፉ።
code-check-heading = ኮድኩም ኣረጋግጹ

## ዝርርብ

thread-heading = ዝርርብኩም
thread-sent = መልእኽትኹም ተላኢኹ ኣሎ።
thread-previous-open = ቅድሚ እዚ ምብጻሕ፣ እቲ ዝርርብ ንመወዳእታ ግዜ ዝተኸፍተሉ፦
thread-previous-open-not-you = ንስኹም ኣይነበርኩምን ዲኹም? እምበኣር ካልእ ሰብ ኮድኩም ይፈልጦ ይኸውን። ኣብ ታሕቲ ነቲ ዝርርብ ደምስስዎ፣ ሓድሽ ኮድ ንምርካብ ድማ እንደገና ጽሓፉልና።
thread-first-open = እዚ ዝርርብ ብኮድኩም ንመጀመርታ ግዜ እዩ ዝኽፈት ዘሎ።
thread-messages-heading = መልእኽትታት
thread-empty = ገና መልእኽቲ የለን።
thread-author-me = ንስኹም
thread-author-staff = { $name }፣ እቲ ማእከል
thread-author-centre = እቲ ማእከል
thread-delivered = ማእከል ተቐቢልዎ
thread-not-delivered = ማእከል ገና ኣይተቐበሎን
thread-answer-time = መብዛሕትኡ ግዜ ኣብ ውሽጢ ገለ መዓልታት ስራሕ ንምልስ። መልሲ ንምንባብ ምስ ኮድኩም ተመለሱ።
thread-write-heading = እንደገና ጽሓፉ
thread-message-label = ሓድሽ መልእኽትኹም
thread-send = ስደዱ
thread-delete-heading = ዝርርብ ምድምሳስ
thread-delete-text = ኣብ ዝደለኹምዎ ግዜ ነቲ ዝርርብ ካብቲ ወብሳይት ክትድምስስዎ ትኽእሉ። ሽዑ እቲ ኮድ ኣይሰርሕን።
thread-delete-button = ዝርርበይ ደምስሱ
thread-leave = ምስ ወዳእኩም፣ ነቲ መስኮት ዕጸውዎ ወይ ኣብ ላዕሊ ዘሎ «ብቕልጡፍ ካብዚ ገጽ ውጹ» ዝብል መጠወቒ ተጠቐሙ።

## ምድምሳስ

burn-confirm-heading = እቲ ዝርርብ ይደምሰስ ድዩ?
burn-confirm-everything = እቲ ዝርርብ ካብዚ ወብሳይት ይድምሰስ፣ ዝጸሓፍኩምዎን መልስታትናን።
burn-confirm-code = ኮድኩም ኣይክሰርሕን እዩ።
burn-confirm-centre = ኣብቲ ማእከል ዘለና ነቲ ዝርርብ ከም ዝደምሰስኩምዎ ክንፈልጥ ኢና። ሕግታት ሰነዳት ክንክተል ስለ ዘሎና፣ ድሮ ዝተቐበልናዮ ምሳና ክተርፍ ይኽእል።
burn-confirm-undo = እዚ ክምለስ ኣይክእልን እዩ።
burn-confirm-button = እወ፣ ዝርርብ ደምስሱ
burned-heading = ዝርርብኩም ተደምሲሱ
burned-text = እቲ ኮድ ድሕሪ ሕጂ ኣይሰርሕን። ኣብቲ ማእከል ዘለና ነቲ ዝርርብ ከም ዝደምሰስኩምዎ ፈሊጥና ኣለና።
burned-again = ኩሉ ግዜ እንደገና ክትጽሕፉልና ትኽእሉ ኢኹም። ሽዑ ሓድሽ ኮድ ክትረኽቡ ኢኹም።

## ገጻት ጌጋ

error-bad-request-heading = ዝለኣኽኩምዎ ክንብብ ኣይተኻእለን
error-bad-request-text = ክልኣኽ ከሎ ጌጋ ኣጋጢሙ። ካብ መእተዊ ገጽ እንደገና ጀምሩ።
error-not-found-heading = እዚ ገጽ የለን
error-not-found-text = እቲ ኣድራሻ ብጌጋ ተጻሒፉ ይኸውን፣ ወይ እቲ ገጽ ድሕሪ ሕጂ የለን።
error-method-heading = እዚ ገጽ ብኸምዚ ክኽፈት ኣይክእልን
error-method-text = እዚ ገጽ ፎርም ክለኣኽ ከሎ ጥራይ እዩ ዝጥቀመሉ። ካብ መእተዊ ገጽ እንደገና ጀምሩ።
error-forbidden-heading = እቲ ፎርም ክቕበል ኣይተኻእለን
error-forbidden-text = ንድሕንነትኩም ክበሃል፣ ካብ ናትና ገጻት ዝተላእኩ ፎርማት ጥራይ ኢና እንቕበል። ካብ መእተዊ ገጽ እንደገና ጀሚርኩም ፈትኑ።
error-expired-heading = ግዜ እዚ ገጽ ሓሊፉ
error-expired-text = ንድሕንነትኩም ክበሃል፣ ገጻት ድሕሪ ቁሩብ ግዜ ምስራሕ የቋርጹ። ካብ መእተዊ ገጽ እንደገና ጀምሩ። ዝርርብኩም ተንብቡ እንተ ነበርኩም፣ ኮድኩም እንደገና ጽሓፉ።
error-too-large-heading = ዝለኣኽኩምዎ ኣዝዩ ነዊሕ ነይሩ
error-too-large-text = ተመለሱ፣ መልእኽትኹም ኣሕጽሩ፣ እንደገና ፈትኑ።
error-rate-limited-heading = ኣዝዮም ብዙሓት ፈተነታት
error-rate-limited-text = ቁሩብ ደቓይቕ ተጸበዩ፣ ድሕሪኡ እንደገና ፈትኑ።
error-busy-heading = እቲ ወብሳይት ሕጂ ብዙሕ ጸቕጢ ኣለዎ
error-busy-text = ድሕሪ ቁሩብ ደቓይቕ እንደገና ፈትኑ።
error-internal-heading = ኣብ ወገንና ጸገም ኣጋጢሙ
error-internal-text = ድሕሪ ቁሩብ እንደገና ፈትኑ። ኮድ ወይ መልእኽትኹም ከም ዝተላእከ ዝገልጽ ሓበሬታ እንተ ዘይረኣኹም፣ ኣይተላእከን ማለት እዩ።
error-code-not-found-heading = እቲ ዝርርብ ክኽፈት ኣይተኻእለን
error-code-not-found = በዚ ኮድ ዝርርብ ኣይረኸብናን። ብትኽክል ከም ዝጸሓፍኩምዎ ኣረጋግጹ። ዝርርብ ንገለ ግዜ እንተ ዘይተሰርሓሉ፣ ወይ እቲ ዝጸሓፎ ሰብ እንተ ደምሲስዎ ይድምሰስ። ኩሉ ግዜ እንደገና ጽሒፍኩምልና ሓድሽ ኮድ ክትረኽቡ ትኽእሉ ኢኹም።


## Forms that keep nothing for whoever comes after: opening forms, the code page, timed-out pages

landing-return-button = ዝርርበይ ክፈት
return-timed-out = ንምሕላውኻ፡ ገጽ ዝርርብ ድሕሪ { $minutes } ደቒቕ ምስራሕ የቋርጽ። ኮድካ እንደገና ኣእቱ። ዝጸሓፍካዮ ኣብ ታሕቲ ኣሎ፡ ዝርርብ ምስ ተኸፍተ ድማ ክለኣኽ እዩ።
return-message-label = ዝጸሓፍካዮ (ዝርርብ ምስ ተኸፍተ ይለኣኽ)
contact-code-ahead = ምስ ለኣኽካ ካብ { $digits } ኣሃዛት ዝቖመ ኮድ ክትረክብ ኢኻ። ወረቐትን ብርዕን ኣዳሉ።
code-check-how = ብቕኑዕ ከም ዝቐዳሕካዮ ንምርግጋጽ ነቲ ኮድ ካብ ወረቐትካ ጽሓፎ።
code-check-submit = ኮድ ኣረጋግጽ
code-check-differs-at = ዝጸሓፍካዮ ኣብ ቦታ { $positions } ካብቲ ኮድ ይፈላለ። እቶም ዝፈላለዩ ኣሃዛት ተመልኪቶም ኣለው።
code-check-you-wrote = ዝጸሓፍካዮ፦
code-checked-heading = ነቲ ኮድ ብቕኑዕ ቀዲሕካዮ
code-checked-text = ኣብ ወረቐትካ ዘሎ ኮድ ቅኑዕ እዩ። ካልእ ሰብ ኣብ ዘይርእዮ ቦታ ሓልዎ።
code-gone-heading = እቲ ኮድ ደጊሙ ክርአ ኣይክእልን
code-gone-text = ንድሕንነትካ፡ እቲ ኮድ ዝርአ ኣብቲ ምስ ጸሓፍካልና ብቐጥታ ዝመጽእ ገጽ ጥራይ እዩ። እንተ ጸሓፍካዮ ክትጥቀመሉ ትኽእል። እንተዘይኮይኑ ደጊምካ ጽሓፈልና ሓድሽ ኮድ ድማ ክትረክብ ኢኻ።
code-leave-heading = ነዚ ገጽ ቅድሚ ምግዳፍካ
code-leave-text = እቲ ኮድ ደጊሙ ኣይርአን እዩ። ጸሓፍካዮ ዶ?
code-leave-link = እወ፡ ነቲ ኮድ ጸሓፍክዎ – ናብ መበገሲ ገጽ ኪድ
thread-session-time = እዚ ገጽ ምስ ከፈትካዮ ወይ ገለ ምስ ለኣኽካ ን{ $minutes } ደቒቕ ይሰርሕ። ድሕሪኡ ኮድካ እንደገና ኣእቱ – ካብቲ ዝጸሓፍካዮ ዝጠፍእ የለን።
burn-confirm-no = ኣይፋል፡ ዝርርብ ይጽናሕ
error-code-form-expired = እቲ ገጽ ነዊሕ ግዜ ተኸፊቱ ስለ ዝጸንሐ ምስራሕ ኣቋሪጹ። ንድሕንነትካ እቲ ኮድ ደጊሙ ኣይርአን። በጃኻ ሓንሳብ ደጊምካ ኣእትዎ።
error-code-check-differs = ዝጸሓፍካዮ ኮድ ምስ ኮድካ ኣይሰማማዕን። ነቶም ዝተመልከቱ ኣሃዛት ኣወዳድር።

## ምትእምማን፣ ድሕንነትን ገጻት ሓበሬታን

draft-note = እዚ ትርጉም እዚ ገና ብወዲ ቋንቋ ኣይተመርመረን፣ ስለዚ ጌጋታት ክህልዎ ይኽእል።
landing-quick-heading = ቀልጢፍካ ውጻእ፣ ውሑስ ኩን
landing-quick-exit = እቲ ቀይሕ መልጎም «ብቕልጡፍ ካብዚ ገጽ ውጹ» ኩሉ ግዜ ኣብ ላዕሊ ናይ መርኣዪ ኣሎ። ብቐጥታ ናብ ካልእ መርበብ ይወስደካ። ድሕሪኡ ነቲ ታብ ዕጾዎ።
landing-quick-safety = ተሌፎንካ ወይ ኮምፒተርካ ምስ ካልእ ትካፈሎ ዲኻ፣ ወይ ሓደ ሰብ ይፍትሾ ድዩ? ብኸመይ ብድሕንነት ክትበጽሓና ከም ትኽእል
landing-trust-heading = ክኣምነኩም ይኽእል ድየ?
landing-trust-organiser = እቲ ማእከል ብ { $organiser } ይመሓደር።
landing-trust-confidential = ኩሎም ኣብዚ ዝሰርሑ ብሕጊ ምስጢር ናይ ምሓዝ ግዴታ ኣለዎም (tystnadsplikt)። እቲ እትነግረና ብዘይ ፍቓድካ ንካልእ ኣይነሕልፎን፣ ብዘይካ እቲ ኣብ ታሕቲ ዘሎ ኩነታት።
landing-trust-under-18 = ዕድሜኻ ካብ 18 ዓመት ንታሕቲ እንተኾይኑን መን ምዃንካን ከም ዝጉዳእ ዘሎኻን እንተፈሊጥናን፣ ሕጊ ንማሕበራዊ ኣገልግሎት ክንነግር ይግድደና።
landing-trust-ip = ናይ IP ኣድራሻኻ ወይ ኣበይ ከም ዘለኻ ፈጺምና ኣይንርእን። እቲ እትጽሕፎ ጥራይ ኢና እንርኢ።
landing-trust-reply = መልእኽትታት ኣብ መዓልታት ስራሕ ነንብብ፣ ብዙሕ ግዜ ኣብ ውሽጢ { $days } መዓልታት ስራሕ ንምልስ።
landing-trust-expiry = ንሓደ ዝርርብ ን { $days } መዓልታት ዝኸፈቶ ወይ ዝጸሓፈሉ እንተዘይሃልዩ፣ ይድምሰስ።
landing-other-heading = ካልኦት መገድታት ንምርካብና
landing-other-phone = ተሌፎን፦
landing-other-sms = ሓጻር መልእኽቲ (SMS)፦
landing-more-heading = ተወሳኺ ኣንብብ
landing-more-info = ምስ ክብሪ ዝተኣሳሰረ ዓመጽ፣ ብግዴታ መርዓ፣ መሰላትካን ክትጽሕፈልና ከለኻ እንታይ ከም ዝኸውንን
helpline-young = { $name }፣ ንዝኾነ ካብ 18 ዓመት ንታሕቲ።
helpline-women = { $name }፣ ንደቂ ኣንስትዮን ቀረባታተንን።
helpline-boys-and-men = { $name }፣ ንኣወዳትን ሰብኡትን እውን።
helpline-lgbtq = { $name }፣ ንሰባት LGBTQ+።
helpline-stop-violence = { $name }፣ ዓመጽ ንዝጥቀሙን ከቋርጹ ንዝደልዩን።
helpline-professionals = { $name }፣ ንሞያውያን።
helpline-everyone = { $name }፣ ንኹሉ።
hours-always = ለይትን መዓልትን ክፉት እዩ።
hours-weekdays = ሰኑይ ክሳብ ዓርቢ
hours-every-day = ኩሉ መዓልቲ
line-free = ምድዋል ብናጻ እዩ።
line-off-bill = ኣብ ሕሳብ ተሌፎን ኣይርአን።
line-free-off-bill = ብናጻ እዩ፣ ኣብ ሕሳብ ተሌፎን ድማ ኣይርአን።
info-fallback-note = እዚ ገጽ እዚ ገና ብትግርኛ የለን፣ ስለዚ ብሽወደንኛ ይረአ።
info-index-link = ኩሎም ገጻት ሓበሬታ
thread-new-reply = ካብቲ ማእከል ሓድሽ መልሲ በጺሑካ ኣሎ።
