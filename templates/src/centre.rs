//! What differs between centres and that a visitor needs before trusting one: who runs it, how soon it
//! replies, how long an unused conversation lives, its own phone and SMS, the helplines for every group it
//! serves, and which languages it offers. The gateway fills one [`Centre`] from its configuration at start;
//! pages only read it.

use crate::Lang;

/// The centre as the pages describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Centre {
    /// Who runs the centre, as one phrase that fits "The centre is run by …", e.g. "Länsstyrelsen och
    /// kommunerna i länet". Shown as written, in the centre's language.
    pub organiser: String,
    /// Working days within which the centre usually replies.
    pub reply_working_days: u32,
    /// Days without activity after which a conversation is deleted (the ticket expiry).
    pub expiry_days: u32,
    /// The centre's own phone line, if it has one.
    pub phone: Option<Phone>,
    /// A number that takes SMS, if any.
    pub sms: Option<String>,
    /// Other lines, in the order shown.
    pub helplines: Vec<Helpline>,
    /// The languages offered: the picker shows these, in this order; other paths are not found.
    pub languages: Vec<Lang>,
}

impl Default for Centre {
    /// A centre with no own phone or helplines, a three-day reply, thirty-day expiry and every language.
    fn default() -> Self {
        Centre {
            organiser: String::new(),
            reply_working_days: 3,
            expiry_days: 30,
            phone: None,
            sms: None,
            helplines: Vec::new(),
            languages: Lang::ALL.to_vec(),
        }
    }
}

/// The centre's own phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// The number as dialled in Sweden, e.g. `010-123 45 67`.
    pub number: String,
    /// When someone answers.
    pub hours: Hours,
}

/// When a line answers. Times are written as given (`09:00`), kept left to right on every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hours {
    /// Not stated: the page shows no hours.
    Unknown,
    /// Every day, around the clock.
    Always,
    /// Monday to Friday, between two times.
    Weekdays {
        /// Opening time, e.g. `09:00`.
        from: String,
        /// Closing time, e.g. `16:00`.
        to: String,
    },
    /// Every day, between two times.
    EveryDay {
        /// Opening time.
        from: String,
        /// Closing time.
        to: String,
    },
}

/// Who a helpline is for; the page says it in the visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Children and young people under 18.
    Young,
    /// Women, and their relatives.
    Women,
    /// Boys and men.
    BoysAndMen,
    /// LGBTQ+ people.
    Lgbtq,
    /// People who use violence and want to stop.
    StopViolence,
    /// Professionals.
    Professionals,
    /// Anyone.
    Everyone,
}

impl Audience {
    /// Every audience, in configuration spelling order.
    pub const ALL: [Audience; 7] = [
        Audience::Young,
        Audience::Women,
        Audience::BoysAndMen,
        Audience::Lgbtq,
        Audience::StopViolence,
        Audience::Professionals,
        Audience::Everyone,
    ];

    /// The configuration spelling (`for = "young"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Audience::Young => "young",
            Audience::Women => "women",
            Audience::BoysAndMen => "boys-and-men",
            Audience::Lgbtq => "lgbtq",
            Audience::StopViolence => "stop-violence",
            Audience::Professionals => "professionals",
            Audience::Everyone => "everyone",
        }
    }

    /// The audience for a configuration value; `None` for anything else.
    pub fn parse(text: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// A helpline the centre points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helpline {
    /// Who it is for.
    pub audience: Audience,
    /// Its name, as its own organisation writes it (e.g. "Kvinnofridslinjen").
    pub name: String,
    /// The number, e.g. `020-50 50 50`.
    pub number: String,
    /// When it answers.
    pub hours: Hours,
    /// Free to call.
    pub free: bool,
    /// Does not show on the phone bill.
    pub off_bill: bool,
}
