//! The `secondments` binary: parses the command line and starts the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use secondments::config::Settings;
use secondments::startup::Application;
use secondments::{cli, telemetry};

/// jemalloc rather than glibc's allocator: the blocking pool's threads each
/// get a glibc arena that keeps what a big job (a catch-up tick, an export)
/// freed, so the resident size grew with every such job; jemalloc hands
/// freed pages back (docs/performance.md, "Memory").
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(name = "secondments", version, about = "Secondment management service")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an administrator account.
    CreateAdmin {
        /// Login email of the new administrator.
        #[arg(long)]
        email: String,
        /// Password; otherwise SECONDMENTS_ADMIN_PASSWORD, otherwise a prompt.
        #[arg(long)]
        password: Option<String>,
    },
    /// Create or update officials from a CSV file (all or nothing).
    ImportOfficials {
        /// The CSV file (header as for POST /api/v1/officials/import).
        file: std::path::PathBuf,
    },
    /// Load the demo story (Thái Nguyên, Quảng Trị) into an empty database
    /// and print a login for every role once.
    Demo,
    /// Load the 2025 provinces (63 former, 34 current) and their merges.
    LoadReferenceData,
    /// Add or rename public holidays from a CSV file `date,name_vi,name_en`
    /// (the yearly notice; all or nothing).
    LoadHolidays {
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Fill an empty database with synthetic data for benchmarks: units,
    /// officials and secondments in every state (reproducible per seed).
    Seed {
        /// Officials to create.
        #[arg(long)]
        officials: u64,
        /// Secondments to create, spread evenly over the officials.
        #[arg(long)]
        secondments: u64,
        /// The seed: one seed gives one data set (for one day).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Run the daily tick once (start and complete secondments).
    Tick {
        /// The day to run for (default: today in the configured time zone).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Show what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

fn main() -> ExitCode {
    return_large_allocations_to_the_system();
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("secondments: {e}");
            return ExitCode::from(2);
        }
    };
    let _log_writer = telemetry::init(&settings.log);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => cli::migrate(&settings),
        Command::CreateAdmin { email, password } => cli::create_admin(&settings, &email, password),
        Command::ImportOfficials { file } => cli::import_officials(&settings, &file),
        Command::Demo => cli::demo(&settings),
        Command::LoadReferenceData => cli::load_reference_data(&settings),
        Command::LoadHolidays { file } => cli::load_holidays(&settings, &file),
        Command::Seed {
            officials,
            secondments,
            seed,
        } => cli::seed(
            &settings,
            cli::SeedArgs {
                officials,
                secondments,
                seed,
            },
        ),
        Command::Tick { date, dry_run } => cli::tick(&settings, date, dry_run),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "secondments stopped with an error");
            eprintln!("secondments: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Argon2 needs 19 MiB per password check. glibc raises its mmap
/// threshold to the size of the last large block freed, after which such
/// blocks come from per-thread arenas and stay there: a burst of sign-ins
/// on the blocking threads left 1.6 GiB resident (docs/performance.md).
/// A fixed threshold keeps every block of 1 MiB or more mmapped, so it goes
/// back to the system when freed.
fn return_large_allocations_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called once, before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await?;
        let public_url = app.public_url().to_string();
        tracing::info!(port = app.port(), %public_url, "listening");
        println!("secondments is listening on {public_url}");
        println!("Console: open {public_url}/ in a browser and sign in");
        println!("API docs: {public_url}/docs/");
        if let Some(admin) = app.initial_admin() {
            match &admin.generated_password {
                Some(password) => {
                    println!("First start: created administrator {}", admin.email);
                    println!("  one-time password: {password}");
                    println!("  (shown only now; it is stored only as a hash)");
                }
                None => println!(
                    "First start: created administrator {} with SECONDMENTS_ADMIN_PASSWORD",
                    admin.email
                ),
            }
        }
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}
