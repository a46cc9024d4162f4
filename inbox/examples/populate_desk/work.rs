//! Carrying the plans out through the desk's library: envelopes built as the gateway builds them and
//! recorded in batches, and each staff act one call of `Cases`, at its time on the desk's manual clock.

use porten_inbox::{CaseKey, Cases, Clock, ManualClock, Status};
use porten_protocol::envelope::{ClosedReason, InboxKeys, Payload, VisitorMessage};
use porten_protocol::secret::Sensitive;
use porten_protocol::thread::EntryId;
use porten_protocol::{ExpiryKey, ReplyKey};
use time::OffsetDateTime;

use super::plan::{Act, Plan, Rng, Step, DAY};
use super::Failure;

/// Cases worked together: their envelopes go into one transaction per round.
const CHUNK: usize = 250;

/// What visitors, staff and notes say: sentences a message, reply or note is made of.
const VISITOR_SENTENCES: [&str; 12] = [
    "Jag vet inte riktigt hur jag ska börja, men jag behöver prata med någon.",
    "Min familj bestämmer vem jag får träffa och när jag får gå ut.",
    "Min bror kontrollerar min telefon och läser mina meddelanden.",
    "De har pratat om att jag ska resa till släktingar i sommar och jag är rädd att jag inte får komma tillbaka.",
    "Jag bor hemma och kan bara skriva när de andra sover.",
    "I need to talk to someone about what is happening at home, but I cannot call.",
    "Skolan vet ingenting och jag vågar inte berätta för min mentor.",
    "Min pappa säger att jag har dragit skam över familjen.",
    "Kan ni hjälpa mig att förstå vilka möjligheter jag har?",
    "Jag skriver igen för att jag inte har fått svar ännu.",
    "Tack för svaret. Det hjälpte att läsa det, men jag är fortfarande orolig.",
    "Jag kan inte svara på några dagar, de tar telefonen ibland.",
];
const REPLY_SENTENCES: [&str; 10] = [
    "Tack för att du skriver till oss. Det du berättar låter mycket svårt, och du har rätt att få stöd.",
    "Du bestämmer själv vad du vill berätta och i vilken takt.",
    "Om du är i akut fara, ring 112. Du kan också söka skydd hos socialtjänsten, även utan familjens vetskap.",
    "Vi kan träffas på en plats där ingen känner igen dig, om du vill.",
    "Skolkuratorn har tystnadsplikt, men vi kan också prata först om vad det skulle innebära för dig.",
    "Det är inte ditt fel. Ingen har rätt att bestämma över din kropp eller dina relationer.",
    "Skriv gärna igen när det känns säkert. Vi svarar vardagar mellan 9 och 16.",
    "Om du blir tagen utomlands finns det hjälp att få genom ambassaden och UD.",
    "Vill du att vi hjälper dig att ta kontakt med socialtjänsten, eller vill du fundera först?",
    "Radera gärna webbläsarens historik efteråt om någon annan använder samma dator.",
];
const NOTE_SENTENCES: [&str; 6] = [
    "Risk för utlandsresa under sommarlovet; följ upp före juni.",
    "Besökaren vill inte att skolan kontaktas ännu.",
    "Diskuterat med teamledaren; avvaktar besökarens svar.",
    "Möjlig anmälan enligt 14 kap. SoL om besökaren är under 18.",
    "Besökaren svarar oftast sent på kvällen.",
    "Erbjudit möte; besökaren återkommer.",
];

/// Carries out every plan, a chunk of cases at a time (cases close in time, so a chunk's rounds are few).
pub(crate) fn carry_out(
    cases: &Cases,
    clock: &ManualClock,
    plans: &[Plan],
    rng: &mut Rng,
) -> Result<Done, Failure> {
    let mut done = Done::default();
    for chunk in plans.chunks(CHUNK) {
        work_chunk(cases, clock, chunk, rng, &mut done)?;
    }
    Ok(done)
}

/// What was made.
#[derive(Default)]
pub(crate) struct Done {
    pub(crate) messages: u64,
    pub(crate) replies: u64,
    pub(crate) notes: u64,
    pub(crate) acts: u64,
    pub(crate) batches: u64,
}

/// Works the cases of one chunk together: each round records every case's next envelopes in one
/// transaction, then takes every case's next staff acts (one transaction each, as the desk does them).
fn work_chunk(
    cases: &Cases,
    clock: &ManualClock,
    chunk: &[Plan],
    rng: &mut Rng,
    done: &mut Done,
) -> Result<(), Failure> {
    let keys: Vec<CaseKey> = chunk
        .iter()
        .map(|plan| cases.key_for(&plan.ticket))
        .collect();
    let mut at = vec![0usize; chunk.len()];
    loop {
        let mut payloads = Vec::new();
        for (plan, next) in chunk.iter().zip(at.iter_mut()) {
            while let Some((when, step)) = plan.steps.get(*next) {
                let payload = match step {
                    Step::Visitor { urgent } => {
                        done.messages += 1;
                        visitor_message(plan, *next, *when, *urgent, rng)?
                    }
                    Step::End(reason) => closing(plan, *when, *reason)?,
                    Step::Act(_) => break,
                };
                payloads.push(payload);
                *next += 1;
            }
        }
        if !payloads.is_empty() {
            cases.record_envelopes(&payloads)?;
            done.batches += 1;
        }
        let mut acted = false;
        for ((plan, next), key) in chunk.iter().zip(at.iter_mut()).zip(&keys) {
            while let Some((when, Step::Act(act))) = plan.steps.get(*next) {
                clock.advance(when - clock.now());
                act_on(cases, key, act, *when, rng, done)?;
                *next += 1;
                acted = true;
            }
        }
        if payloads.is_empty() && !acted {
            return Ok(());
        }
    }
}

fn visitor_message(
    plan: &Plan,
    number: usize,
    when: i64,
    urgent: bool,
    rng: &mut Rng,
) -> Result<Payload, Failure> {
    let text = text(&VISITOR_SENTENCES, rng.between(1, 8) as usize, rng);
    let now = OffsetDateTime::from_unix_timestamp(when)?;
    let reply_key = ReplyKey::from_bytes([7; 32]);
    if number == 0 {
        let expiry_key = ExpiryKey::from_bytes([8; 32]);
        let message = VisitorMessage {
            message: &text,
            language: Some(plan.language),
            urgent,
        };
        let keys = InboxKeys {
            reply_key: &reply_key,
            expiry_key: &expiry_key,
        };
        return Ok(Payload::first_contact(
            &plan.ticket,
            EntryId::random(),
            plan.group,
            message,
            keys,
            now,
        )?);
    }
    let message = VisitorMessage {
        message: &text,
        language: None,
        urgent,
    };
    Ok(Payload::follow_up(
        &plan.ticket,
        EntryId::random(),
        message,
        &reply_key,
        now,
    )?)
}

fn closing(plan: &Plan, when: i64, reason: ClosedReason) -> Result<Payload, Failure> {
    let now = OffsetDateTime::from_unix_timestamp(when)?;
    Ok(match reason {
        ClosedReason::Visitor => {
            Payload::closed_by_visitor(&plan.ticket, &ReplyKey::from_bytes([7; 32]), now)?
        }
        ClosedReason::Expired => {
            Payload::expired(&plan.ticket, &ExpiryKey::from_bytes([8; 32]), now)?
        }
    })
}

fn act_on(
    cases: &Cases,
    key: &CaseKey,
    act: &Act,
    when: i64,
    rng: &mut Rng,
    done: &mut Done,
) -> Result<(), Failure> {
    done.acts += 1;
    // Each call's fact would go to the audit log in the running desk; here only the effect counts.
    match *act {
        Act::Take(who) => {
            cases.take(who, key)?;
        }
        Act::Assign { lead, to } => {
            cases.assign(lead, key, to)?;
        }
        Act::Move { lead, team } => {
            let name = cases.teams().all()[team].name.clone();
            cases.move_to_team(lead, key, &name)?;
        }
        Act::View(who) => {
            cases.view(who, key)?;
        }
        Act::Note(who) => {
            let note = Sensitive::new(text(&NOTE_SENTENCES, rng.between(1, 3) as usize, rng));
            cases.add_note(who, key, &note)?;
            done.notes += 1;
        }
        Act::Reply { by, pushed } => {
            let reply = Sensitive::new(text(&REPLY_SENTENCES, rng.between(2, 7) as usize, rng));
            let intent = cases.record_reply(by, key, &reply)?;
            if pushed {
                cases.reply_pushed(by, key, intent.reply_id)?;
            } else {
                cases.reply_failed(by, key, intent.reply_id)?;
            }
            done.replies += 1;
            done.acts += 1;
        }
        Act::ClearUrgency(who) => {
            cases.clear_urgency(who, key)?;
        }
        Act::Refer(who) => {
            if let Some(partner) = cases.partners().first().map(|p| p.name.clone()) {
                let note = Sensitive::new(text(&NOTE_SENTENCES, 1, rng));
                cases.refer(who, key, &partner, Some(&note))?;
            }
        }
        Act::Remind(who) => {
            cases.set_reminder(who, key, Some(when + 7 * DAY))?;
        }
        Act::Close(who) => {
            cases.set_status(who, key, Status::Closed)?;
        }
    }
    Ok(())
}

/// `sentences` sentences from `pool`, joined.
fn text(pool: &[&str], sentences: usize, rng: &mut Rng) -> String {
    let mut text = String::new();
    for n in 0..sentences.max(1) {
        if n > 0 {
            text.push(' ');
        }
        text.push_str(rng.pick(pool));
    }
    text
}
