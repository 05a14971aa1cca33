//! The floor of our stack: the least a ratatui program can do to show one question. The pty
//! benchmark compares gpuwise's start-up, step time, bytes and memory with this.
//! One bordered question and a three-item list; arrows move, `q` quits.

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::widgets::{Block, List, ListState};

fn main() -> std::io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let mut state = ListState::default().with_selected(Some(0));
    let result = loop {
        if let Err(e) = terminal.draw(|frame| {
            let list = List::new(["Alpha", "Bravo", "Charlie"])
                .block(Block::bordered().title("Floor question: pick one"))
                .highlight_symbol("> ");
            frame.render_stateful_widget(list, frame.area(), &mut state);
        }) {
            break Err(e);
        }
        match event::read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Char('q') => break Ok(()),
                KeyCode::Down => state.select_next(),
                KeyCode::Up => state.select_previous(),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    ratatui::restore();
    result
}
