import { z } from 'zod';

export const SignInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').email('Enter an email address in the correct format, like name@example.org'),
  password: z.string().min(1, 'Enter your password'),
  returnTo: z.string().optional(),
});

/** Where to go once signed in (a local path only; anything else goes home). */
export const SignInQuery = z.object({ returnTo: z.string().optional() });
