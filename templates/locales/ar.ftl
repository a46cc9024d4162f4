# STATUS: draft — awaits review by a native speaker before production use
# العربية (ar), من اليمين إلى اليسار. نفس مفاتيح sv.ftl بالضبط، لا أكثر ولا أقل.
# جمل قصيرة وكلمات بسيطة. الأفعال الموجهة للقارئ بصيغة المذكر العامة؛ رسائل الأخطاء بصيغة «يرجى» المحايدة.
# الأرقام (112 وغيرها) بالأرقام الغربية كما تظهر على لوحة الهاتف. لا وسوم HTML هنا.

## إطار كل صفحة

exit-link = خروج سريع من هذه الصفحة
skip-link = الانتقال إلى المحتوى
language-nav = اختيار اللغة
footer-note = هذا الموقع لا يستخدم الكوكيز ولا السكربتات. ولا يحفظ في متصفحك أي شيء من رسائلك.
home-link = العودة إلى الصفحة الرئيسية

## أرقام الطوارئ

emergency-heading = هل أنت في خطر؟
emergency-call-112 = هل أنت أو شخص آخر في خطر الآن؟ اتصل بالرقم 112.
emergency-short = هل أنت في خطر الآن؟ اتصل بالرقم 112.
number-112 = رقم الطوارئ عند وجود خطر الآن: الشرطة والإسعاف والإطفاء.
number-police = الشرطة عندما لا يكون الأمر عاجلًا، مثلًا لتقديم بلاغ أو لطلب نصيحة.
number-bris = BRIS، إذا كان عمرك أقل من 18 سنة.
number-kvinnofrid = Kvinnofridslinjen، خط هاتفي لدعم النساء اللواتي يتعرضن للتهديد والعنف، ولأقاربهن. مجاني ومفتوح ليلًا ونهارًا.
number-health = Vårdguiden، نصائح صحية ليلًا ونهارًا.

## أخطاء في النماذج

error-summary-heading = هناك ما يجب تصحيحه
error-prefix = خطأ:
error-field-generic = يرجى التحقق من هذا الحقل.
error-group-missing = يرجى اختيار ما ينطبق عليك أكثر.
error-message-empty = يرجى كتابة رسالة.
error-message-too-long = الرسالة طويلة جدًا. يرجى تقصيرها إلى { $max } حرف أو أقل.
error-language-unknown = يرجى اختيار لغة الرد.
error-code-empty = يرجى كتابة الرمز.
error-code-format = يرجى كتابة الرمز كاملًا، تمامًا كما حصلت عليه. الرمز أرقام فقط.
error-code-typo = في الرمز خطأ في الكتابة. يرجى التحقق من الأرقام والمحاولة مرة أخرى.
error-form-expired = مرّ وقت طويل، فانتهت صلاحية النموذج. لم تُرسَل رسالتك بعد. نصّك ما زال هنا في الأسفل. يرجى الضغط على «إرسال» مرة أخرى.
error-form-already-sent = تم إرسال هذا النموذج من قبل. إذا لم تحصل على رمز، فاكتب رسالتك مرة أخرى وأرسلها.
error-form-invalid = تعذّر استخدام النموذج، ربما لأنه بقي مفتوحًا مدة طويلة. لسلامتك، لا يُعرض ما كتبته مرة أخرى. يرجى ملء النموذج مرة أخرى.
error-rate-limited = حدثت محاولات كثيرة في وقت قصير. يرجى الانتظار بضع دقائق ثم المحاولة مرة أخرى.
error-busy = الموقع مشغول الآن، لذلك لم تُرسَل رسالتك بعد. نصّك ما زال هنا في الأسفل. يرجى الانتظار قليلًا ثم الضغط على «إرسال» مرة أخرى.
error-internal = حدث خطأ عندنا، لذلك لم تُرسَل رسالتك. نصّك ما زال هنا في الأسفل. يرجى المحاولة مرة أخرى بعد قليل.
message-hint = { $max } حرف على الأكثر.

## الصفحة الرئيسية

landing-heading = الدعم في مواجهة العنف والقمع باسم الشرف
landing-intro = نقدم النصيحة والدعم إذا كان في حياتك عنف أو تهديد أو سيطرة باسم الشرف. ونحن هنا أيضًا إذا كنت تخاف على شخص آخر، أو إذا كانت هذه القضايا جزءًا من عملك. ويمكننا مساعدتك في الوصول إلى الخدمات الاجتماعية (السوسيال) والشرطة والرعاية الصحية.
landing-anonymous = يمكنك أن تكتب لنا دون أن تذكر اسمك. لا نسألك من أنت.
landing-write = اكتب لنا
landing-return-heading = هل لديك رمز بالفعل؟
return-code-label = رمزك
return-code-hint = الرمز الذي حصلت عليه عندما كتبت لنا. المسافات لا تهم. يمكنك كتابة الأرقام هكذا ١٢٣ أو هكذا 123.
return-submit = قراءة المحادثة
landing-safety-onion = في Tor Browser يمكنك أيضًا الوصول إلينا عبر عنوان onion الخاص بنا:

## نموذج التواصل

contact-heading = اكتب لنا
contact-intro = لا حاجة إلى أن تكتب اسمك أو أي شيء يدل على من أنت. اكتب ما تريد أن تخبرنا به.
contact-group-legend = ما الذي ينطبق عليك أكثر؟
group-exposed = أنا نفسي أتعرض للعنف أو التهديد أو السيطرة
group-relative = أخاف على شخص آخر: قريب أو صديق أو شريك
group-used-violence = استخدمت العنف أو السيطرة ضد شخص ما وأريد أن أتوقف
group-professional = أقابل هذه القضايا في عملي وأريد استشارة
group-other = شيء آخر
contact-urgent-label = أنا في خطر الآن
contact-urgent-hint = لا نستطيع دائمًا أن نرد بسرعة. هل أنت في خطر الآن؟ اتصل بالرقم 112.
contact-message-label = رسالتك
contact-reply-language-label = بأي لغة نرد عليك؟
contact-honeypot-label = اترك هذا الحقل فارغًا
contact-before-send = بعد الإرسال تحصل على رمز. تحتاج إلى الرمز لقراءة ردنا.
contact-submit = إرسال

## الرمز

code-heading = رمزك
code-urgent-heading = كتبت أنك في خطر
code-sent = أُرسِلت رسالتك. بهذا الرمز يمكنك قراءة ردنا:
code-keep-heading = كيف تحفظ الرمز
code-keep-write = اكتبه الآن في مكان لا يراه أحد غيرك. الرمز يظهر هذه المرة فقط.
code-keep-shared = لا تحفظه في هاتف أو حاسوب يستطيع شخص آخر أن ينظر فيه.
code-keep-anyone = من يملك الرمز يستطيع قراءة المحادثة كلها. لا تعرضه على أي أحد.
code-keep-lost = نحن لا نعرف من أنت، لذلك لا نستطيع أن نعطيك الرمز مرة أخرى. إذا أضعته، يمكنك أن تكتب لنا من جديد وتحصل على رمز جديد.
code-return-heading = متى أعود؟
code-return-when = نرد عادةً خلال بضعة أيام عمل.
code-return-how = اذهب إلى الصفحة الرئيسية واكتب الرمز تحت «هل لديك رمز بالفعل؟».
code-check-heading = التحقق من الرمز

## المحادثة

thread-heading = محادثتك
thread-sent = أُرسِلت رسالتك.
thread-previous-open = آخر مرة فُتحت فيها المحادثة قبل هذه الزيارة:
thread-previous-open-not-you = ألم تكن أنت؟ إذن قد يعرف شخص آخر رمزك. احذف المحادثة في الأسفل، واكتب لنا من جديد لتحصل على رمز جديد.
thread-first-open = هذه أول مرة تُفتح فيها المحادثة برمزك.
thread-messages-heading = الرسائل
thread-empty = لا توجد رسائل بعد.
thread-author-me = أنت
thread-author-staff = { $name }، المركز
thread-author-centre = المركز
thread-delivered = وصلت إلى المركز
thread-not-delivered = لم تصل إلى المركز بعد
thread-answer-time = نرد عادةً خلال بضعة أيام عمل. ارجع إلى هنا برمزك لقراءة الرد.
thread-write-heading = اكتب مرة أخرى
thread-message-label = رسالتك الجديدة
thread-send = إرسال
thread-delete-heading = حذف المحادثة
thread-delete-text = يمكنك حذف المحادثة من الموقع في أي وقت. عندها يتوقف الرمز عن العمل.
thread-delete-button = حذف محادثتي
thread-leave = عندما تنتهي، أغلق النافذة أو استخدم زر «خروج سريع من هذه الصفحة» في الأعلى.

## الحذف

burn-confirm-heading = حذف المحادثة؟
burn-confirm-everything = ستُحذف المحادثة من هذا الموقع: ما كتبته أنت، وردودنا أيضًا.
burn-confirm-code = سيتوقف رمزك عن العمل.
burn-confirm-centre = سنعرف نحن في المركز أنك حذفت المحادثة. ما وصلنا من قبل قد يبقى عندنا، لأن علينا أن نتبع قواعد التوثيق.
burn-confirm-undo = لا يمكن التراجع عن ذلك.
burn-confirm-button = نعم، احذف المحادثة
burned-heading = حُذفت محادثتك
burned-text = الرمز لم يعد يعمل. ونحن في المركز عرفنا أنك حذفت المحادثة.
burned-again = يمكنك دائمًا أن تكتب لنا من جديد. عندها تحصل على رمز جديد.

## صفحات الأخطاء

error-bad-request-heading = تعذرت قراءة ما أرسلته
error-bad-request-text = حدث خطأ أثناء الإرسال. ابدأ من جديد من الصفحة الرئيسية.
error-not-found-heading = الصفحة غير موجودة
error-not-found-text = ربما كُتب العنوان بشكل خاطئ، أو لم تعد الصفحة موجودة.
error-method-heading = لا يمكن فتح الصفحة بهذه الطريقة
error-method-text = هذه الصفحة تُستخدم فقط عند إرسال نموذج. ابدأ من جديد من الصفحة الرئيسية.
error-forbidden-heading = تعذر قبول النموذج
error-forbidden-text = من أجل أمانك نقبل فقط النماذج التي تُرسَل من صفحاتنا. ابدأ من جديد من الصفحة الرئيسية وحاول مرة أخرى.
error-expired-heading = انتهت صلاحية الصفحة
error-expired-text = من أجل أمانك تتوقف الصفحات عن العمل بعد فترة. ابدأ من جديد من الصفحة الرئيسية. إذا كنت تقرأ محادثتك، فاكتب رمزك مرة أخرى.
error-too-large-heading = ما أرسلته كان طويلًا جدًا
error-too-large-text = ارجع، واجعل رسالتك أقصر، وحاول مرة أخرى.
error-rate-limited-heading = محاولات كثيرة جدًا
error-rate-limited-text = انتظر بضع دقائق ثم حاول مرة أخرى.
error-busy-heading = الموقع مشغول الآن
error-busy-text = حاول مرة أخرى بعد بضع دقائق.
error-internal-heading = حدث خطأ عندنا
error-internal-text = حاول مرة أخرى بعد قليل. إذا لم ترَ رمزًا أو رسالة تقول إن رسالتك أُرسِلت، فهي لم تُرسَل.
error-code-not-found-heading = تعذر فتح المحادثة
error-code-not-found = لا نجد محادثة بهذا الرمز. تأكد أنك كتبته بشكل صحيح. تُحذف المحادثة إذا لم تُستخدم لفترة، أو إذا حذفها من كتبها. يمكنك دائمًا أن تكتب لنا من جديد وتحصل على رمز جديد.


## Forms that keep nothing for whoever comes after: opening forms, the code page, timed-out pages

landing-return-button = افتح محادثتي
return-timed-out = لحمايتك، تتوقف صفحة المحادثة عن العمل بعد { $minutes } دقيقة. أدخل رمزك مرة أخرى. ما كتبته لا يزال في الأسفل وسيُرسل عند فتح المحادثة.
return-message-label = ما كتبته (يُرسل عند فتح المحادثة)
contact-code-ahead = عند الإرسال ستحصل على رمز من { $digits } رقمًا. جهّز ورقة وقلمًا.
code-check-how = اكتب الرمز من ورقتك لتتأكد أنك نسخته بشكل صحيح.
code-check-submit = تحقّق من الرمز
code-check-differs-at = ما كتبته يختلف عن الرمز في الموضع { $positions }. الأرقام المختلفة مميّزة.
code-check-you-wrote = كتبت:
code-checked-heading = نسخت الرمز بشكل صحيح
code-checked-text = الرمز على ورقتك صحيح. احتفظ به في مكان لا ينظر فيه أحد غيرك.
code-gone-heading = لا يمكن عرض الرمز مرة أخرى
code-gone-text = لسلامتك، يُعرض الرمز فقط في الصفحة التي تظهر مباشرة بعد أن تكتب إلينا. إذا كتبته فيمكنك استخدامه. وإلا يمكنك أن تكتب إلينا مرة أخرى وتحصل على رمز جديد.
code-leave-heading = قبل أن تغادر هذه الصفحة
code-leave-text = لن يُعرض الرمز مرة أخرى. هل كتبته؟
code-leave-link = نعم، كتبت الرمز – اذهب إلى الصفحة الرئيسية
thread-session-time = تعمل هذه الصفحة لمدة { $minutes } دقيقة بعد فتحها أو إرسال شيء. بعد ذلك أدخل رمزك مرة أخرى – لن يضيع شيء مما كتبته.
burn-confirm-no = لا، احتفظ بالمحادثة
error-code-form-expired = بقيت الصفحة مفتوحة مدة طويلة فتوقفت عن العمل. لسلامتك لا يُعرض الرمز مرة أخرى. أدخله مرة أخرى من فضلك.
error-code-check-differs = الرمز الذي كتبته لا يطابق رمزك. قارن الأرقام المميّزة.

## الثقة والأمان وصفحات المعلومات

draft-note = لم يراجع هذه الترجمة بعد متحدث أصلي باللغة، لذلك قد تحتوي على أخطاء.
landing-quick-heading = اخرج بسرعة وابقَ آمنًا
landing-quick-exit = الزر الأحمر «خروج سريع من هذه الصفحة» موجود دائمًا في أعلى الشاشة. ينقلك مباشرة إلى موقع آخر. أغلق علامة التبويب بعد ذلك.
landing-quick-safety = هل تشارك هاتفك أو حاسوبك مع أحد، أو يفتّشه أحد؟ كيف تزورنا بأمان أكثر
landing-trust-heading = هل يمكنني أن أثق بكم؟
landing-trust-organiser = يدير المركز { $organiser }.
landing-trust-confidential = كل من يعمل هنا ملزم قانونًا بواجب السرية (tystnadsplikt). لا ننقل ما تخبرنا به إلا إذا وافقت، باستثناء الحالة المذكورة أدناه.
landing-trust-under-18 = إذا كان عمرك أقل من 18 سنة وعرفنا من أنت وأنك تتعرض للأذى، فالقانون يُلزمنا بإبلاغ الخدمات الاجتماعية.
landing-trust-ip = لا نرى أبدًا عنوان IP الخاص بك ولا مكانك. نرى فقط ما تكتبه.
landing-trust-reply = نقرأ الرسائل في أيام العمل ونرد عادةً خلال { $days } أيام عمل.
landing-trust-expiry = إذا لم يفتح أحد المحادثة أو يكتب فيها خلال { $days } يومًا، تُحذف.
landing-other-heading = طرق أخرى للتواصل معنا
landing-other-phone = الهاتف:
landing-other-sms = رسالة نصية (SMS):
landing-more-heading = اقرأ المزيد
landing-more-info = العنف باسم الشرف، والزواج القسري، وحقوقك، وماذا يحدث عندما تكتب إلينا
helpline-young = { $name }، لكل من هو دون 18 سنة.
helpline-women = { $name }، للنساء وللمقربين منهن.
helpline-boys-and-men = { $name }، للفتيان والرجال أيضًا.
helpline-lgbtq = { $name }، لأفراد مجتمع الميم (LGBTQ+).
helpline-stop-violence = { $name }، لمن يستخدم العنف ويريد أن يتوقف.
helpline-professionals = { $name }، للمهنيين.
helpline-everyone = { $name }، للجميع.
hours-always = مفتوح ليلًا ونهارًا.
hours-weekdays = من الاثنين إلى الجمعة
hours-every-day = كل يوم
line-free = الاتصال مجاني.
line-off-bill = لا يظهر في فاتورة الهاتف.
line-free-off-bill = مجاني، ولا يظهر في فاتورة الهاتف.
info-fallback-note = هذه الصفحة غير متوفرة بالعربية بعد، لذلك تظهر باللغة السويدية.
info-index-link = كل صفحات المعلومات
thread-new-reply = وصلك رد جديد من المركز.
