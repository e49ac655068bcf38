// Vite puts its own BASE_URL ('/') into process.env; Threadline reads BASE_URL as its public address.
if (process.env.BASE_URL === '/') delete process.env.BASE_URL
